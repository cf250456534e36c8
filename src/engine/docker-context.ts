// The docker CLI's context store: <config>/contexts/meta/<sha256 of name>/meta.json, TLS files in
// <config>/contexts/tls/<sha256 of name>/docker/{ca,cert,key}.pem.
import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { EnvctlError } from '../errors/envctl-error.js'

export interface ContextEndpoint {
  host: string
  tls?: { dir: string; ca: string; cert: string; key: string; verify: boolean }
}

/** `currentContext` in <config>/config.json; undefined without the file or the key. */
export function readCurrentContext(configDir: string): string | undefined {
  const file = join(configDir, 'config.json')
  const json = readJson(file, 'fix or remove the file (docker context use default rewrites it)')
  const name = (json as { currentContext?: unknown } | undefined)?.currentContext
  return typeof name === 'string' && name ? name : undefined
}

/** The docker endpoint of context `name`; `why` says which setting named it, for the error when it is missing. */
export function readDockerContext(configDir: string, name: string, why: string): ContextEndpoint {
  const id = createHash('sha256').update(name).digest('hex')
  const metaFile = join(configDir, 'contexts', 'meta', id, 'meta.json')
  if (!existsSync(metaFile)) {
    throw new EnvctlError('ENGINE_UNREACHABLE', `the Docker context "${name}" (named by ${why}) does not exist: no ${metaFile}`, {
      hint: 'docker context ls lists the contexts; create it (docker context create), or choose another (docker context use <name>, or DOCKER_CONTEXT)',
    })
  }
  const docker = (readJson(metaFile, `recreate the context: docker context rm ${name}; docker context create ${name} --docker host=…`) as Meta).Endpoints?.docker
  if (!docker?.Host) {
    throw new EnvctlError('ENGINE_UNREACHABLE', `the Docker context "${name}" has no docker endpoint in ${metaFile}`, {
      hint: `set one: docker context update ${name} --docker host=tcp://…`,
    })
  }
  const tlsDir = join(configDir, 'contexts', 'tls', id, 'docker')
  if (!existsSync(tlsDir)) return { host: docker.Host }
  const tls = { dir: tlsDir, ca: join(tlsDir, 'ca.pem'), cert: join(tlsDir, 'cert.pem'), key: join(tlsDir, 'key.pem'), verify: docker.SkipTLSVerify !== true }
  return { host: docker.Host, tls }
}

interface Meta {
  Endpoints?: { docker?: { Host?: string; SkipTLSVerify?: boolean } }
}

function readJson(file: string, fix: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
  try {
    return JSON.parse(text)
  } catch (err) {
    throw new EnvctlError('ENGINE_UNREACHABLE', `${file} is not valid JSON (${(err as Error).message}), so the Docker context cannot be read`, { hint: fix })
  }
}
