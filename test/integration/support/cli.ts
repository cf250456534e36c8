/**
 * Runs the built CLI (`node bin/run.js`; test/support/fresh-dist.ts rebuilds dist/ when stale) as a child process,
 * optionally as another user, and collects its exit code and output.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { constants } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isolatedEnv } from '../../support/isolated-env.js'
import type { TestUser } from './fixtures.js'

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..')
export const cliBin = join(repoRoot, 'bin/run.js')

export interface RunOptions {
  readonly cwd: string
  /**
   * Added to the inherited environment, after HOME, XDG_* and DOCKER_CONFIG were pointed at this test
   * file's fresh folders for the user (isolatedEnv); `undefined` removes a variable.
   */
  readonly env?: Readonly<Record<string, string | undefined>>
  /** Written to stdin, which is then closed. Without it stdin is /dev/null, as in CI. */
  readonly input?: string
  /** Default 10 minutes (image builds). On expiry the process is killed and the promise rejects. */
  readonly timeoutMs?: number
  /** Run as this user (see asUser()); only takes effect when this process is root. */
  readonly user?: TestUser
}

export interface RunResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
  /** stdout parsed, when the arguments include --json and stdout is JSON. */
  readonly json?: unknown
}

/** `envctl <args>`; e.g. `await runCli(['up', '--json'], { cwd: ws.dir, user: ws.user })`. */
export async function runCli(args: readonly string[], opts: RunOptions): Promise<RunResult> {
  const result = await runProcess(process.execPath, [cliBin, ...args], opts)
  return args.includes('--json') ? { ...result, json: parseJson(result.stdout) } : result
}

/**
 * Any command, with runCli's environment and user handling. Switching user goes through setpriv
 * --init-groups because spawn()'s own uid/gid options drop supplementary groups (libuv calls
 * setgroups(0)), and with them the docker group that grants the engine socket.
 */
export function runProcess(command: string, args: readonly string[], opts: RunOptions): Promise<RunResult> {
  return collect(spawnAs(command, args, opts), `${command} ${args.join(' ')}`, opts.timeoutMs ?? 600_000)
}

/** A CLI run in progress, for tests that act while it works (send Ctrl-C at a step, stop the engine). */
export interface LiveCli {
  /** Resolves once a line of stderr matches `marker` (e.g. /^> Build image$/m); rejects if the CLI ends first. */
  waitFor(marker: RegExp, timeoutMs?: number): Promise<void>
  /** Sends a signal to the CLI process (SIGINT is what Ctrl-C sends). */
  kill(signal: NodeJS.Signals): void
  readonly result: Promise<RunResult>
}

/** `envctl <args>` started in the background; progress is plain lines on stderr (stderr is not a TTY). */
export function startCli(args: readonly string[], opts: RunOptions): LiveCli {
  const child = spawnAs(process.execPath, [cliBin, ...args], opts)
  let stderr = ''
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString('utf8')))
  const result = collect(child, `envctl ${args.join(' ')}`, opts.timeoutMs ?? 600_000)
  const ended = result.then((r) => r, (e: unknown) => ({ code: -1, stdout: '', stderr: String(e) }))
  const waitFor = async (marker: RegExp, timeoutMs = 300_000) => {
    const started = Date.now()
    for (;;) {
      if (marker.test(stderr)) return
      const outcome = await Promise.race([ended, new Promise<null>((r) => setTimeout(() => r(null), 20))])
      if (outcome && !marker.test(stderr)) throw new Error(`envctl ended (exit ${outcome.code}) before ${marker}:\n${outcome.stderr}`)
      if (Date.now() - started > timeoutMs) throw new Error(`no ${marker} on stderr within ${timeoutMs} ms:\n${stderr}`)
    }
  }
  return { waitFor, kill: (signal) => child.kill(signal), result }
}

function spawnAs(command: string, args: readonly string[], opts: RunOptions): ChildProcess {
  const [file, argv] = asUserArgv(command, args, opts.user)
  const child = spawn(file, argv, {
    cwd: opts.cwd,
    env: childEnv(opts),
    stdio: [opts.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
  })
  if (opts.input !== undefined) child.stdin!.end(opts.input)
  return child
}

function asUserArgv(command: string, args: readonly string[], user?: TestUser): [string, string[]] {
  if (user === undefined || user.uid === 0 || process.getuid?.() !== 0) return [command, [...args]]
  return ['setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', command, ...args]]
}

function collect(child: ChildProcess, what: string, timeoutMs: number): Promise<RunResult> {
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  child.stdout!.on('data', (b: Buffer) => stdout.push(b))
  child.stderr!.on('data', (b: Buffer) => stderr.push(b))
  let timedOut = false
  const timer = setTimeout(() => {
    timedOut = true
    child.kill('SIGTERM')
    setTimeout(() => child.kill('SIGKILL'), 5000).unref()
  }, timeoutMs)
  return new Promise((resolve, reject) => {
    child.on('error', (err) => {
      clearTimeout(timer)
      reject(err)
    })
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      const out = Buffer.concat(stdout).toString('utf8')
      const err = Buffer.concat(stderr).toString('utf8')
      if (timedOut) reject(new Error(`${what} timed out after ${timeoutMs} ms\n--- stdout\n${out}\n--- stderr\n${err}`))
      else resolve({ code: code ?? 128 + (signal ? constants.signals[signal] : 0), stdout: out, stderr: err })
    })
  })
}

function childEnv(opts: RunOptions): NodeJS.ProcessEnv {
  // The developer's (or root's) HOME and XDG folders never reach the CLI: the user's own fresh ones do.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...opts.user?.env, ...isolatedEnv(opts.user) }
  // Vitest's own variables would leak test-runner behaviour into the CLI.
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'NODE_OPTIONS') delete env[key]
  for (const [key, value] of Object.entries(opts.env ?? {})) {
    if (value === undefined) delete env[key]
    else env[key] = value
  }
  return env
}

function parseJson(stdout: string): unknown {
  try {
    return JSON.parse(stdout)
  } catch {
    return undefined
  }
}
