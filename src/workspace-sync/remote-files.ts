import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import type { Engine, FileEntry } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { capture } from '../ui/capture.js'
import type { FileMap, LocalFile, RemoteFile } from './manifest.js'
import { WORKSPACE_DIR } from './volume.js'

/** One archive per this many bytes: a 10 GB workspace is never one buffer in memory. */
const BATCH_BYTES = 64 * 1024 * 1024

async function run(engine: Engine, id: string, cmd: string[], stdin?: Buffer): Promise<string> {
  const out = capture()
  const code = await engine.exec(id, { cmd, workdir: WORKSPACE_DIR, stdin: stdin ? Readable.from([stdin]) : undefined, stdout: out.stdout, stderr: out.stderr })
  const { stdout, stderr } = out.text()
  if (code !== 0) throw new EnvctlError('UNEXPECTED', `\`${cmd.join(' ')}\` failed in the workspace helper on ${engine.host} (exit ${code}): ${stderr.trim() || stdout.trim()}`)
  return stdout
}

/** A new volume's root is the image's /workspace (root's): it becomes the user's, as the local folder is. */
export async function ownRoot(engine: Engine, id: string, uid: number, gid: number): Promise<void> {
  await run(engine, id, ['chown', `${uid}:${gid}`, WORKSPACE_DIR])
}

export interface Listing {
  /** Regular files: what a pull can bring back. */
  files: FileMap<RemoteFile>
  /** Every other entry that is not a folder (links): present, so never taken for deleted. */
  others: Set<string>
}

/** Everything in the volume but folders, with size and mtime (whole seconds), as GNU find reports them. */
export async function listVolume(engine: Engine, id: string): Promise<Listing> {
  const text = await run(engine, id, ['find', WORKSPACE_DIR, '-mindepth', '1', '!', '-type', 'd', '-printf', '%y %m %s %T@ %P\\0'])
  const listing: Listing = { files: {}, others: new Set() }
  for (const record of text.split('\0')) {
    const m = /^(\S) ([0-7]+) (\d+) (\d+)(?:\.\d*)? (.+)$/s.exec(record)
    if (!m) continue
    if (m[1] === 'f') listing.files[m[5]!] = { size: Number(m[3]), mtime: Number(m[4]), mode: parseInt(m[2]!, 8) }
    else listing.others.add(m[5]!)
  }
  return listing
}

export async function removeFiles(engine: Engine, id: string, paths: readonly string[]): Promise<void> {
  if (paths.length === 0) return
  await run(engine, id, ['xargs', '-0', 'rm', '-f', '--'], Buffer.from(paths.map((p) => `${p}\0`).join('')))
}

/** Sends the files in archives of at most BATCH_BYTES, owned by uid:gid, with their mode and mtime. */
export async function uploadFiles(engine: Engine, id: string, root: string, files: FileMap<LocalFile>, paths: readonly string[], owner: { uid: number; gid: number }): Promise<number> {
  let batch: FileEntry[] = []
  let size = 0
  let total = 0
  const flush = async () => {
    if (batch.length) await engine.putFiles(id, WORKSPACE_DIR, batch)
    batch = []
    size = 0
  }
  for (const path of paths) {
    const f = files[path]!
    const content = f.link === undefined ? await readFile(join(root, path)) : Buffer.alloc(0)
    batch.push({ path, content, mode: f.mode, mtime: f.mtime, ...(f.link === undefined ? {} : { link: f.link }), ...owner })
    size += content.length
    total += content.length
    if (size >= BATCH_BYTES) await flush()
  }
  await flush()
  return total
}

export function fetchFile(engine: Engine, id: string, path: string): Promise<Buffer> {
  return engine.readFile(id, `${WORKSPACE_DIR}/${path}`)
}
