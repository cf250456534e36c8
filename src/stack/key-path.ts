/** A path to a value in a stack file: table keys and array indexes, e.g. ['packages', 'pip', 2]. */
export type KeyPath = ReadonlyArray<string | number>

const BARE_KEY = /^[A-Za-z0-9_-]+$/

/** Renders a path the way a user would write it in TOML: `packages.pip[2]`, `env."MY VAR"`. */
export function formatKeyPath(path: KeyPath): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else out += `${out === '' ? '' : '.'}${BARE_KEY.test(segment) ? segment : JSON.stringify(segment)}`
  }
  return out
}

/** Inverse of formatKeyPath for the paths users and callers write (`gpu.mode`, `packages.pip[2]`). */
export function parseKeyPath(text: string): KeyPath {
  const path: Array<string | number> = []
  const token = /"((?:[^"\\]|\\.)*)"|([A-Za-z0-9_-]+)|\[(\d+)\]|\./g
  for (const m of text.matchAll(token)) {
    if (m[1] !== undefined) path.push(JSON.parse(`"${m[1]}"`) as string)
    else if (m[2] !== undefined) path.push(m[2])
    else if (m[3] !== undefined) path.push(Number(m[3]))
  }
  return path
}
