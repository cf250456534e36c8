import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { EnvctlError } from '../errors/envctl-error.js'
import { GitError, type GitFetcher } from './git-fetcher.js'
import type { GitSource } from './git-source.js'

/** What the loader needs to follow git sources: the cache, the fetcher, and the commits envctl.lock pins. */
export interface GitContext {
  /** $XDG_CACHE_HOME/envctl/git: one bare repository per remote, one folder per checked-out commit. */
  cacheDir: string
  fetcher: GitFetcher
  /** Source key (`git+…#REF`) → commit, from envctl.lock; a pinned source is never re-resolved. */
  pins: Readonly<Record<string, string>>
}

export interface FetchedSource {
  commit: string
  /** The repository's files at that commit (read-only by convention). */
  treeDir: string
  /** The stack file inside treeDir. */
  file: string
}

const FULL_COMMIT = /^[0-9a-f]{40}$/

/** Where one remote is cached: named by a hash of its URL, so any URL gives a plain folder name. */
export function repoCacheDir(cacheDir: string, url: string): string {
  return join(cacheDir, createHash('sha256').update(url).digest('hex').slice(0, 24))
}

/**
 * The stack file a git source names, at the pinned commit when there is one (fetched only when the cache
 * lacks it), else at the commit its ref points to now. Throws NOT_FOUND for an unreachable repository or a
 * missing ref; returns a problem for a path the commit does not have.
 */
export function fetchGitSource(src: GitSource, git: GitContext): FetchedSource | { problem: string; hint: string } {
  const repo = repoCacheDir(git.cacheDir, src.url)
  const gitDir = join(repo, 'repo.git')
  const commit = locate(src, git, gitDir)
  const treeDir = join(repo, 'trees', commit)
  if (!existsSync(treeDir)) materialize(git.fetcher, gitDir, commit, treeDir, src)
  const file = join(treeDir, src.path)
  if (existsSync(file) && statSync(file).isFile()) return { commit, treeDir, file }
  return {
    problem: `extends "${src.raw}": no file ${src.path} in ${src.url} at ${src.ref} (commit ${commit.slice(0, 12)})`,
    hint: `check the path from the repository root: git ls-tree -r --name-only ${src.ref}`,
  }
}

function locate(src: GitSource, git: GitContext, gitDir: string): string {
  const pinned = git.pins[src.key]
  const wanted = pinned ?? (FULL_COMMIT.test(src.ref) ? src.ref : undefined)
  if (wanted && git.fetcher.has(gitDir, wanted)) return wanted
  try {
    return git.fetcher.fetch(gitDir, src.url, wanted ?? src.ref)
  } catch (err) {
    if (err instanceof GitError) throw gitFailure(err, src, pinned)
    throw err
  }
}

function materialize(fetcher: GitFetcher, gitDir: string, commit: string, treeDir: string, src: GitSource): void {
  // Checked out beside its final place and renamed, so a half-written tree is never mistaken for a whole one.
  mkdirSync(dirname(treeDir), { recursive: true })
  const tmp = mkdtempSync(`${treeDir}.tmp-`)
  try {
    fetcher.checkout(gitDir, commit, tmp)
    renameSync(tmp, treeDir)
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true })
    if (existsSync(treeDir)) return
    if (err instanceof GitError) throw gitFailure(err, src, undefined)
    throw err
  }
}

function gitFailure(err: GitError, src: GitSource, pinned: string | undefined): EnvctlError {
  if (err.kind === 'no-git') {
    return new EnvctlError('NOT_FOUND', `extends "${src.raw}" needs git: ${err.detail}`, { hint: 'install git (apt-get install git) and run the command again', cause: err })
  }
  if (err.kind === 'missing-ref') {
    const what = pinned ? `commit ${pinned.slice(0, 12)}, which envctl.lock pins` : `ref "${src.ref}"`
    const hint = pinned
      ? 'the commit is gone from the repository (force-pushed?); run `envctl lock --upgrade` to pin where the ref points now'
      : `check the branch or tag: git ls-remote ${src.url}`
    return new EnvctlError('NOT_FOUND', `extends "${src.raw}": ${src.url} has no ${what} (${err.detail})`, { hint, cause: err })
  }
  return new EnvctlError('NOT_FOUND', `extends "${src.raw}": cannot fetch ${src.url}: ${err.detail}`, {
    hint: `check the URL and your access (git ls-remote ${src.url}); a source fetched once is reused from the cache when envctl.lock pins its commit`,
    cause: err,
  })
}
