import { readFileSync } from 'node:fs'
import type { Engine, FileEntry } from '../../engine/engine.js'
import { EnvctlError, type SourceLocation } from '../../errors/envctl-error.js'
import { dirname, basename } from 'node:path'
import { CA_CONTEXT_FILE, CA_MOUNT, caPerStep, SYSTEM_BUNDLE } from '../../render/ca.js'
import { readOptional } from './read-optional.js'
import type { ResolvedStack } from '../../resolvers/types.js'

const PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----'
/** The running environment's bundle: the image's system roots plus the CA, written into the container only. */
export const RUNTIME_CA_DIR = '/run/envctl'
export const RUNTIME_BUNDLE = `${RUNTIME_CA_DIR}/ca-bundle.pem`

/**
 * The build-context files a resolution needs besides the Dockerfile: the CA bundle's content, read here
 * (the renderer only knows its name). Their hashes are part of the image's content hash.
 */
export function buildContextFiles(r: ResolvedStack, setAt?: SourceLocation): Record<string, Buffer> {
  const path = r.network.caBundle
  if (path === undefined) return {}
  const problems = setAt ? [{ message: `network.ca_bundle = ${path}`, location: setAt }] : []
  let content: Buffer
  try {
    content = readFileSync(path)
  } catch (err) {
    throw new EnvctlError('NOT_FOUND', `cannot read the CA bundle ${path} (network.ca_bundle): ${(err as NodeJS.ErrnoException).code ?? String(err)}`, {
      problems,
      hint: 'point network.ca_bundle at a PEM file; a relative path is relative to the file that sets it',
    })
  }
  if (!content.includes(PEM_CERTIFICATE)) {
    throw new EnvctlError('INVALID_STACK', `the CA bundle ${path} (network.ca_bundle) holds no PEM certificate (${PEM_CERTIFICATE})`, {
      problems,
      hint: 'convert a DER certificate with: openssl x509 -inform der -in ca.cer -out ca.pem',
    })
  }
  return { [CA_CONTEXT_FILE]: content }
}

async function systemBundle(engine: Engine, id: string): Promise<Buffer> {
  return (await readOptional(engine, id, SYSTEM_BUNDLE)) ?? Buffer.alloc(0)
}

/**
 * Before first start, with a CA the image does not carry: the image's system bundle plus the CA, written into
 * this container (never the image), for the tools that replace their bundle (pip, requests, OpenSSL). A
 * remote engine cannot bind-mount the CA file from this machine, so there the CA itself is written too.
 */
export async function injectCaBundle(engine: Engine, id: string, r: ResolvedStack, files: Record<string, Buffer>): Promise<void> {
  const ca = files[CA_CONTEXT_FILE]
  if (!ca || !caPerStep(r)) return
  const system = await systemBundle(engine, id)
  const joined = system.length && !system.subarray(-1).equals(Buffer.from('\n')) ? Buffer.concat([system, Buffer.from('\n')]) : system
  const bundle: FileEntry = { path: 'ca-bundle.pem', content: Buffer.concat([joined, ca]), mode: 0o644, uid: 0, gid: 0 }
  if (engine.local) return engine.putFiles(id, RUNTIME_CA_DIR, [bundle])
  // No bind mount made /run/envctl there: written from /run, the folder comes with the files.
  const inDir = (f: FileEntry): FileEntry => ({ ...f, path: `${basename(RUNTIME_CA_DIR)}/${f.path}` })
  await engine.putFiles(id, dirname(RUNTIME_CA_DIR), [inDir(bundle), inDir({ ...bundle, path: basename(CA_MOUNT), content: ca })])
}
