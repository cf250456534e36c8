import { controlCharacterIn, firstProblem, show } from './formats/characters.js'

/**
 * `extends = "git+https://host/team/stacks.git#main:python/base.toml"`: a stack file in a git repository,
 * at a branch, tag or commit. `git+file:///abs/repo.git#REF:path` names a local repository (tests, mounts).
 */
export interface GitSource {
  /** As written in the stack file. */
  raw: string
  /** What git fetches from: the URL without `git+`, e.g. https://host/team/stacks.git. */
  url: string
  /** Branch, tag or commit. */
  ref: string
  /** The stack file inside the repository, relative to its root. */
  path: string
  /** The source without its path (`git+…#REF`): what envctl.lock pins to a commit. */
  key: string
}

const SCHEMES = ['https', 'http', 'ssh', 'file']
export const GIT_PREFIX = 'git+'
// Git ref names (git check-ref-format) minus the rare characters; never starting with `-`, so that a ref
// can never be read as an option, even though git runs without a shell.
const REF = /^(?!-)(?!.*\.\.)(?!.*\/\/)[A-Za-z0-9._/-]+(?<![./])$/
const PATH_SEGMENT = /^(?!-)[A-Za-z0-9._+@-]+$/
const URL_FORBIDDEN = /[\s`$|\\'"(){}<>;!*^]/

export function isGitRef(value: string): boolean {
  return value.startsWith(GIT_PREFIX)
}

const EXAMPLE = 'git+https://host/team/stacks.git#main:path/to/stack.toml'

function urlProblem(url: string): string | undefined {
  const scheme = /^([a-z0-9+.-]+):\/\//i.exec(url)?.[1]?.toLowerCase()
  if (!scheme || !SCHEMES.includes(scheme)) return `must be git+https://, git+ssh://, git+http:// or git+file:// (e.g. ${EXAMPLE})`
  const bad = URL_FORBIDDEN.exec(url)
  if (bad) return `has ${JSON.stringify(bad[0])} in its URL`
  if (!URL.canParse(url)) return 'is not a valid URL'
  const parsed = new URL(url)
  if (scheme === 'file') return parsed.pathname.length > 1 ? undefined : 'names no repository folder (git+file:///abs/path/repo.git)'
  return parsed.hostname ? undefined : 'names no host'
}

function pathProblem(path: string): string | undefined {
  if (path === '') return `names no file after the ref; write #REF:path/to/stack.toml (e.g. ${EXAMPLE})`
  if (path.startsWith('/')) return 'has an absolute path after the ref; paths are relative to the repository root'
  const segments = path.split('/')
  if (segments.some((s) => s === '..' || s === '.')) return 'has a path with `.` or `..`; name the file from the repository root'
  return segments.every((s) => PATH_SEGMENT.test(s)) ? undefined : `has a path ${show(path)} with characters other than letters, digits and . _ + @ -`
}

/** Splits a git source; returns a reason (for `extends …`) when it is not one envctl can fetch safely. */
export function parseGitSource(raw: string): GitSource | { problem: string } {
  const hash = raw.indexOf('#')
  const body = hash < 0 ? raw : raw.slice(0, hash)
  const fragment = hash < 0 ? '' : raw.slice(hash + 1)
  const colon = fragment.indexOf(':')
  const ref = colon < 0 ? fragment : fragment.slice(0, colon)
  const path = colon < 0 ? '' : fragment.slice(colon + 1)
  const url = body.slice(GIT_PREFIX.length)
  const problem = firstProblem(
    () => controlCharacterIn(raw),
    () => urlProblem(url),
    () => (hash < 0 ? `names no ref; add #REF:path (e.g. ${EXAMPLE})` : undefined),
    () => (REF.test(ref) ? undefined : `has ref ${show(ref)}, which is not a branch, tag or commit name`),
    () => pathProblem(path),
  )
  if (problem) return { problem: `extends ${show(raw)} ${problem}` }
  return { raw, url, ref, path, key: `${body}#${ref}` }
}

/** How messages name a file of a git source: `git+https://host/repo.git#main:stacks/base.toml`. */
export function gitDisplay(key: string, path: string): string {
  return `${key}:${path}`
}
