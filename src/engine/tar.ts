// A minimal ustar writer and reader, enough for build contexts, putArchive and getArchive of one file.
// Written here rather than borrowed from tar-stream so that output is byte-identical for the same input
// (fixed mtime, sorted entries, numeric owners) and so the engine adapter has no transitive imports.

const BLOCK = 512

export interface TarFile {
  path: string
  content: Buffer | string
  mode?: number
  uid?: number
  gid?: number
  /** Unix seconds; 0 by default so identical inputs give identical archives. */
  mtime?: number
  /** A symbolic link to this target (content is ignored). */
  link?: string
}

interface Header {
  name: string
  mode: number
  uid: number
  gid: number
  size: number
  mtime: number
  type: '0' | '2' | '5' | 'x'
  link?: string
}

/** Packs files (and the parent directories they need, owned like the first file inside them) into a tar. */
export function packTar(files: TarFile[]): Buffer {
  const blocks: Buffer[] = []
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
  const dirs = new Set<string>()
  for (const file of sorted) {
    const path = cleanPath(file.path)
    const owner = { uid: file.uid ?? 0, gid: file.gid ?? 0, mtime: file.mtime ?? 0 }
    for (const dir of parentDirs(path)) {
      if (dirs.has(dir)) continue
      dirs.add(dir)
      blocks.push(...entry({ name: `${dir}/`, mode: 0o755, size: 0, type: '5', ...owner }, Buffer.alloc(0)))
    }
    if (file.link !== undefined) {
      blocks.push(...entry({ name: path, mode: 0o777, size: 0, type: '2', link: file.link, ...owner }, Buffer.alloc(0)))
      continue
    }
    const body = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content, 'utf8')
    blocks.push(...entry({ name: path, mode: file.mode ?? 0o644, size: body.length, type: '0', ...owner }, body))
  }
  blocks.push(Buffer.alloc(BLOCK * 2))
  return Buffer.concat(blocks)
}

/**
 * The first entry of a tar when it is a regular file: what getArchive returns for a file path. A directory
 * (or link) there means the path was not a file, so nothing is returned.
 */
export function firstFileInTar(archive: Buffer): { name: string; content: Buffer } | undefined {
  let offset = 0
  let longName: string | undefined
  while (offset + BLOCK <= archive.length) {
    const header = archive.subarray(offset, offset + BLOCK)
    if (header.every((b) => b === 0)) return undefined
    const size = readOctal(header, 124, 12)
    const type = String.fromCharCode(header[156] || 0x30)
    const body = archive.subarray(offset + BLOCK, offset + BLOCK + size)
    offset += BLOCK + Math.ceil(size / BLOCK) * BLOCK
    if (type === 'x') longName = paxPath(body) ?? longName
    else if (type === 'L') longName = body.toString('utf8').replace(/\0+$/, '')
    else if (type === '0' || type === '7') return { name: longName ?? headerName(header), content: Buffer.from(body) }
    else return undefined
  }
  return undefined
}

function entry(h: Header, body: Buffer): Buffer[] {
  const out: Buffer[] = []
  let name = h.name
  if (Buffer.byteLength(name) > 100) {
    const pax = paxRecord('path', name)
    out.push(header({ ...h, name: 'PaxHeader', type: 'x', size: pax.length }), pad(pax))
    name = name.slice(0, 99)
  }
  out.push(header({ ...h, name }), pad(body))
  return out
}

function header(h: Header): Buffer {
  const b = Buffer.alloc(BLOCK)
  b.write(h.name, 0, 100, 'utf8')
  writeOctal(b, h.mode, 100, 8)
  writeOctal(b, h.uid, 108, 8)
  writeOctal(b, h.gid, 116, 8)
  writeOctal(b, h.size, 124, 12)
  writeOctal(b, h.mtime, 136, 12)
  b.write('        ', 148, 8, 'ascii')
  b.write(h.type, 156, 1, 'ascii')
  if (h.link !== undefined) b.write(h.link, 157, 100, 'utf8')
  b.write('ustar\u000000', 257, 8, 'ascii')
  let sum = 0
  for (const byte of b) sum += byte
  b.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'ascii')
  return b
}

/** A PAX record is "<len> key=value\n" where len counts its own digits too. */
function paxRecord(key: string, value: string): Buffer {
  const rest = ` ${key}=${value}\n`
  let len = Buffer.byteLength(rest) + 1
  while (String(len).length + Buffer.byteLength(rest) !== len) len = String(len).length + Buffer.byteLength(rest)
  return Buffer.from(`${len}${rest}`, 'utf8')
}

function paxPath(body: Buffer): string | undefined {
  const match = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(body.toString('utf8'))
  return match?.[1]
}

function headerName(header: Buffer): string {
  const name = cString(header, 0, 100)
  const prefix = header.subarray(257, 262).toString('ascii') === 'ustar' ? cString(header, 345, 155) : ''
  return prefix ? `${prefix}/${name}` : name
}

function cString(b: Buffer, start: number, length: number): string {
  const slice = b.subarray(start, start + length)
  const end = slice.indexOf(0)
  return slice.subarray(0, end < 0 ? length : end).toString('utf8')
}

function writeOctal(b: Buffer, value: number, start: number, length: number): void {
  b.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, start, length, 'ascii')
}

function readOctal(b: Buffer, start: number, length: number): number {
  const text = cString(b, start, length).trim()
  return text ? parseInt(text, 8) : 0
}

function pad(body: Buffer): Buffer {
  const rest = body.length % BLOCK
  return rest === 0 ? body : Buffer.concat([body, Buffer.alloc(BLOCK - rest)])
}

function cleanPath(path: string): string {
  const parts = path.split('/').filter((p) => p && p !== '.')
  if (parts.length === 0 || parts.includes('..')) throw new Error(`invalid archive path "${path}"`)
  return parts.join('/')
}

function parentDirs(path: string): string[] {
  const parts = path.split('/').slice(0, -1)
  return parts.map((_, i) => parts.slice(0, i + 1).join('/'))
}
