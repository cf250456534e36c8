import { formatKeyPath, parseKeyPath, type KeyPath } from './key-path.js'
import { TomlScanner } from './toml-scanner.js'

/** 1-based line and column in a stack file. */
export interface Position {
  line: number
  column: number
}

/** Positions of every key, header and array element of one file, built once and queried many times. */
export interface PositionIndex {
  offsets: Map<string, number>
  lineStarts: number[]
}

export function indexPositions(source: string): PositionIndex {
  const lineStarts = [0]
  for (let i = 0; i < source.length; i++) if (source[i] === '\n') lineStarts.push(i + 1)
  return { offsets: new TomlScanner(source).scan(), lineStarts }
}

function toPosition(index: PositionIndex, offset: number): Position {
  let lo = 0
  let hi = index.lineStarts.length - 1
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1
    if (index.lineStarts[mid] <= offset) lo = mid
    else hi = mid - 1
  }
  return { line: lo + 1, column: offset - index.lineStarts[lo] + 1 }
}

/**
 * Where `path` is written. A path that is not in the file (a default, an implicit table) falls back to
 * its nearest written ancestor, ending at the table header; undefined when nothing on the way is written.
 */
export function locate(index: PositionIndex, path: KeyPath | string): Position | undefined {
  const segments = typeof path === 'string' ? parseKeyPath(path) : path
  for (let n = segments.length; n > 0; n--) {
    const offset = index.offsets.get(formatKeyPath(segments.slice(0, n)))
    if (offset !== undefined) return toPosition(index, offset)
  }
  return undefined
}

/** One-off lookup; build an index with indexPositions when locating many keys in one file. */
export function locateKey(source: string, path: KeyPath | string): Position | undefined {
  return locate(indexPositions(source), path)
}
