import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, rmSync } from 'node:fs'
import { dirname, join } from 'node:path'

/** Why git could not deliver: each kind has its own message and remedy in git-cache.ts. */
export type GitFailure = 'no-git' | 'unreachable' | 'missing-ref' | 'failed'

export class GitError extends Error {
  constructor(readonly kind: GitFailure, readonly detail: string) {
    super(detail)
    this.name = 'GitError'
  }
}

/**
 * The git operations the stack loader needs, on a bare repository that caches one remote. Synchronous
 * because stack loading is; each call is one short-lived git process. Throws GitError.
 */
export interface GitFetcher {
  /** Fetches `ref` (branch, tag or full commit id) from `url` into `gitDir`, creating it; returns the commit. */
  fetch(gitDir: string, url: string, ref: string): string
  /** Whether `gitDir` holds `commit` (without touching the network). */
  has(gitDir: string, commit: string): boolean
  /** Writes the files of `commit` into the empty folder `dir`. */
  checkout(gitDir: string, commit: string, dir: string): void
}

const FETCH_TIMEOUT_MS = 120_000
const LOCAL_TIMEOUT_MS = 30_000

/** The system `git`, run with execFile (no shell) and never prompting for credentials. */
export class SystemGitFetcher implements GitFetcher {
  constructor(private readonly git = 'git') {}

  fetch(gitDir: string, url: string, ref: string): string {
    this.init(gitDir)
    // `--` ends the options: url and ref are data. The ref is also stored under refs/envctl/ so that gc keeps it.
    this.run(['--git-dir', gitDir, 'fetch', '--quiet', '--no-tags', '--', url, ref], FETCH_TIMEOUT_MS)
    const commit = this.run(['--git-dir', gitDir, 'rev-parse', '--verify', '--quiet', 'FETCH_HEAD^{commit}'], LOCAL_TIMEOUT_MS).trim()
    this.run(['--git-dir', gitDir, 'update-ref', `refs/envctl/${commit}`, commit], LOCAL_TIMEOUT_MS)
    return commit
  }

  has(gitDir: string, commit: string): boolean {
    if (!existsSync(gitDir)) return false
    try {
      this.run(['--git-dir', gitDir, 'cat-file', '-e', `${commit}^{commit}`], LOCAL_TIMEOUT_MS)
      return true
    } catch {
      return false
    }
  }

  checkout(gitDir: string, commit: string, dir: string): void {
    mkdirSync(dir, { recursive: true })
    // A private index, so that concurrent checkouts of one cache never share the bare repository's.
    const index = join(dirname(dir), `.index-${process.pid}-${Date.now()}`)
    try {
      this.run(['--git-dir', gitDir, '--work-tree', dir, 'checkout', '--force', commit, '--', '.'], LOCAL_TIMEOUT_MS, { GIT_INDEX_FILE: index })
    } finally {
      rmSync(index, { force: true })
    }
  }

  private init(gitDir: string): void {
    if (existsSync(join(gitDir, 'HEAD'))) return
    mkdirSync(gitDir, { recursive: true })
    this.run(['init', '--bare', '--quiet', gitDir], LOCAL_TIMEOUT_MS)
  }

  private run(args: string[], timeout: number, env: Record<string, string> = {}): string {
    try {
      return execFileSync(this.git, args, {
        encoding: 'utf8',
        timeout,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_ASKPASS: 'true', ...env },
      })
    } catch (err) {
      throw classify(err as NodeJS.ErrnoException & { stderr?: string; signal?: string })
    }
  }
}

const UNREACHABLE = /could not read from remote|does not appear to be a git repository|unable to access|could not resolve host|connection (refused|timed out)|repository .* not found|authentication failed|no such file or directory/i
const MISSING_REF = /couldn't find remote ref|not our ref|unadvertised object|invalid refspec|no such remote ref|upload-pack: not our ref/i

function classify(err: NodeJS.ErrnoException & { stderr?: string; signal?: string }): GitError {
  if (err.code === 'ENOENT') return new GitError('no-git', 'git is not installed (no `git` on PATH)')
  const stderr = (err.stderr ?? '').trim()
  const lines = stderr.split('\n').map((l) => l.trim()).filter(Boolean)
  const fatal = lines.filter((l) => /^(fatal|error):/.test(l))
  const detail = (fatal.length ? fatal : lines.slice(-2)).join('; ') || err.message
  if (err.signal === 'SIGTERM') return new GitError('unreachable', `git timed out: ${detail}`)
  if (MISSING_REF.test(stderr)) return new GitError('missing-ref', detail)
  if (UNREACHABLE.test(stderr)) return new GitError('unreachable', detail)
  return new GitError('failed', detail)
}
