import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { lstat, readFile, readdir, readlink } from 'node:fs/promises'
import { join } from 'node:path'
import { IgnoreRules } from './ignore-rules.js'
import { needsHash, type FileMap, type LocalFile, type SyncedFile } from './manifest.js'

export interface Scan {
  files: FileMap<LocalFile>
  rules: IgnoreRules
  /** Entries that cannot travel in an archive (sockets, fifos, devices, links with a target over 100 bytes). */
  skipped: string[]
}

/** A symbolic link's target travels in a ustar header field of 100 bytes. */
const MAX_LINK = 100

async function optionalText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/** The workspace's files as the upload sees them: regular files and symbolic links, without what is ignored. */
export async function scanWorkspace(root: string, exclude: readonly string[]): Promise<Scan> {
  const rules = new IgnoreRules(exclude)
  const info = await optionalText(join(root, '.git', 'info', 'exclude'))
  if (info !== undefined) rules.addGitignore('', info)
  const scan: Scan = { files: {}, rules, skipped: [] }
  await walk(root, '', scan)
  return scan
}

async function walk(root: string, dir: string, scan: Scan): Promise<void> {
  const abs = dir ? join(root, dir) : root
  const gitignore = await optionalText(join(abs, '.gitignore'))
  if (gitignore !== undefined) scan.rules.addGitignore(dir, gitignore)
  const entries = (await readdir(abs, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))
  for (const e of entries) {
    const path = dir ? `${dir}/${e.name}` : e.name
    if (scan.rules.ignored(path, e.isDirectory())) continue
    if (e.isDirectory()) await walk(root, path, scan)
    else await add(root, path, scan)
  }
}

async function add(root: string, path: string, scan: Scan): Promise<void> {
  const st = await lstat(join(root, path))
  const mtime = Math.floor(st.mtimeMs / 1000)
  if (st.isSymbolicLink()) {
    const link = await readlink(join(root, path))
    if (Buffer.byteLength(link) > MAX_LINK) scan.skipped.push(path)
    else scan.files[path] = { size: 0, mtime, mode: 0o777, link }
  } else if (st.isFile()) scan.files[path] = { size: st.size, mtime, mode: st.mode & 0o777 }
  else scan.skipped.push(path)
}

/** Fills in the content hash of each file: taken from the last sync when size and mtime did not move, else read. */
export async function hashFiles(root: string, files: FileMap<LocalFile>, base: FileMap<SyncedFile>, only?: Iterable<string>): Promise<void> {
  for (const path of only ?? Object.keys(files)) {
    const f = files[path]
    if (!f || f.hash) continue
    const b = base[path]
    f.hash = needsHash(f, b) ? await hashOf(join(root, path), f) : b!.hash
  }
}

function hashOf(abs: string, f: LocalFile): Promise<string> {
  if (f.link !== undefined) return Promise.resolve(sha256(Buffer.from(f.link)))
  return new Promise((resolve, reject) => {
    const h = createHash('sha256')
    createReadStream(abs).on('data', (c) => h.update(c)).on('error', reject).on('end', () => resolve(h.digest('hex')))
  })
}

export function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex')
}
