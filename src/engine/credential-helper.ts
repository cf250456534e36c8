// Runs a Docker credential helper as the docker CLI does (docker-credential-helpers' client): the program
// `docker-credential-<name>` from PATH with the argument `get`, the server URL on stdin (no newline), and
// {"ServerURL","Username","Secret"} on stdout; "credentials not found in native keychain" means none.
import { spawn } from 'node:child_process'
import { EnvctlError } from '../errors/envctl-error.js'
import { maskSecrets } from '../secrets/mask.js'
import type { RegistryAuth } from './engine.js'
import type { HelperRef } from './registry-auth.js'

/** A helper may unlock a keychain or refresh a cloud token; one that takes longer is stuck (on a prompt no one sees). */
export const HELPER_TIMEOUT_MS = 30_000
/** The protocol's "no credentials for this server" answer (credentials.errCredentialsNotFoundMessage). */
const NOT_FOUND = 'credentials not found in native keychain'
/** Username that marks Secret as an identity token (credentials.tokenUsername). */
const TOKEN_USER = '<token>'
/** docker-credential-<name> is looked up on PATH: a name with a slash would run a program from anywhere. */
const HELPER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const MAX_OUTPUT = 64 * 1024

export interface HelperCall extends HelperRef {
  /** The config.json that named the helper, for messages. */
  configFile: string
}

interface Outcome {
  code: number | null
  stdout: string
  stderr: string
}

export interface HelperOptions {
  timeoutMs?: number
  /** The helper's environment (its PATH finds it); unset, the child inherits this process's, as the docker CLI passes its own. */
  env?: NodeJS.ProcessEnv
}

/** Credentials from the helper; undefined when it has none for this server (the pull is then anonymous). */
export async function runCredentialHelper(call: HelperCall, opts: HelperOptions = {}): Promise<RegistryAuth | undefined> {
  if (!HELPER_NAME.test(call.name)) throw helperError(call, `"${call.name}" is not a credential helper name`, 'a helper is named by the part after docker-credential- (for example "pass", "secretservice", "ecr-login")')
  const out = await spawnHelper(call, opts.timeoutMs ?? HELPER_TIMEOUT_MS, opts.env)
  if (out.code !== 0) {
    if (out.stdout.trim() === NOT_FOUND) return undefined
    throw helperError(call, `it exited with ${out.code}: ${oneLine(out.stdout) || oneLine(out.stderr) || 'no message'}`, `run \`docker login ${call.serverUrl}\` so the helper stores credentials, or fix the helper`)
  }
  return parseAnswer(call, out.stdout)
}

function spawnHelper(call: HelperCall, timeoutMs: number, env: NodeJS.ProcessEnv | undefined): Promise<Outcome> {
  const program = `docker-credential-${call.name}`
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'pipe'], env })
    const stdout: Buffer[] = []
    const stderr: Buffer[] = []
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(helperError(call, `it did not answer within ${timeoutMs / 1000}s`, `run \`echo ${call.serverUrl} | ${program} get >/dev/null\` to see what it waits for (a locked keychain, a login prompt)`))
    }, timeoutMs)
    child.stdout.on('data', (b: Buffer) => stdout.push(b))
    child.stderr.on('data', (b: Buffer) => stderr.push(b))
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      reject(startError(call, program, err))
    })
    child.on('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stdout: Buffer.concat(stdout).toString('utf8', 0, MAX_OUTPUT), stderr: Buffer.concat(stderr).toString('utf8', 0, MAX_OUTPUT) })
    })
    // A helper that exits without reading stdin makes this write fail with EPIPE: its exit code tells the story.
    child.stdin.on('error', () => {})
    child.stdin.end(call.serverUrl)
  })
}

function parseAnswer(call: HelperCall, stdout: string): RegistryAuth | undefined {
  let answer: { Username?: unknown; Secret?: unknown }
  try {
    answer = JSON.parse(stdout) as typeof answer
  } catch {
    // The text may hold the secret: it is not shown.
    throw helperError(call, 'its answer is not the JSON {"ServerURL","Username","Secret"} the protocol asks for', 'check that the helper works: docker pull through it, or reinstall it')
  }
  const username = typeof answer?.Username === 'string' ? answer.Username : ''
  const secret = typeof answer?.Secret === 'string' ? answer.Secret : ''
  if (!secret) return undefined
  if (username === TOKEN_USER) return { serveraddress: call.serverUrl, identitytoken: secret }
  return { serveraddress: call.serverUrl, username, password: secret }
}

function startError(call: HelperCall, program: string, err: NodeJS.ErrnoException): EnvctlError {
  const fix = `install ${program} (or put it on PATH), or remove ${call.via} from ${call.configFile}; [registry] auth = "none" in the user config pulls anonymously`
  if (err.code === 'ENOENT') return helperError(call, `${program} is not on PATH`, fix)
  // execvp says EACCES when no PATH folder had it and one could not be searched, or when the file is not executable.
  if (err.code === 'EACCES') return helperError(call, `${program} is not an executable file on PATH (EACCES)`, `make it executable (chmod +x), or ${fix}`)
  return helperError(call, `${program} cannot be run (${err.code ?? err.message})`, fix)
}

function helperError(call: HelperCall, why: string, hint: string): EnvctlError {
  const named = `the credential helper "${call.name}" (${call.via} in ${call.configFile})`
  return new EnvctlError('PULL_FAILED', `cannot get credentials for ${call.serverUrl} from ${named}: ${why}`, { hint })
}

/** A helper's error text, one line, bounded, URLs masked: it never holds the secret (that is only in a successful answer). */
function oneLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? ''
  return maskSecrets(line.length > 200 ? `${line.slice(0, 200)}…` : line)
}
