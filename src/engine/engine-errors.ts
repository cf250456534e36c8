// Turns what dockerode/docker-modem throw into EnvctlErrors that say what to do next.
import { EnvctlError, type Problem } from '../errors/envctl-error.js'
import { BuildFailedError } from './build-stream.js'

interface DockerodeError {
  code?: string
  statusCode?: number
  json?: { message?: string } | string | null
  message?: string
  name?: string
  level?: string
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'EACCES', 'EPERM', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET', 'EPIPE'])

/** The daemon's own message, without docker-modem's "(HTTP code 500) server error - " prefix. */
export function engineMessage(err: unknown): string {
  const e = (err ?? {}) as DockerodeError
  if (e.json && typeof e.json === 'object' && typeof e.json.message === 'string') return e.json.message.trim()
  if (typeof e.json === 'string' && e.json.trim()) return e.json.trim()
  const text = (e.message ?? String(err)).replace(/^\(HTTP code \d+\)[^-]*- /, '').trim()
  return text || (e.statusCode ? `HTTP ${e.statusCode}` : 'unknown error')
}

export function statusCodeOf(err: unknown): number | undefined {
  return (err as DockerodeError | undefined)?.statusCode
}

/** True when the request never reached a daemon: socket missing or refused, timeouts, DNS, ssh. */
export function isConnectionError(err: unknown): boolean {
  if (err instanceof EnvctlError) return err.code === 'ENGINE_UNREACHABLE'
  const e = (err ?? {}) as DockerodeError
  if (e.statusCode !== undefined) return false
  if (e.code && (CONNECTION_CODES.has(e.code) || TLS_CODES.test(e.code))) return true
  if (e.name === 'AbortError' || e.name === 'TimeoutError') return true
  return e.level?.startsWith('client-') === true || /socket hang up|timed? ?out/i.test(e.message ?? '')
}

/** How node's TLS says a certificate was refused, by us (the engine's) or by the engine (ours). */
const TLS_CODES = /^(ERR_TLS_|ERR_SSL_|EPROTO$|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|UNABLE_TO_(VERIFY|GET_ISSUER)|HOSTNAME_MISMATCH$)/
const TLS_TEXT = /certificate|SSL routines|alert|wrong version number|handshake/i

/** The certificate files in use, for the remedy of a refused TLS handshake. */
export interface TlsHint {
  dir: string
  from: string
}

export function engineUnreachable(host: string, err: unknown, tls?: TlsHint): EnvctlError {
  // Already said in full where it happened (an ssh:// engine's host key, keys, or remote docker).
  if (err instanceof EnvctlError && err.code === 'ENGINE_UNREACHABLE') return err
  const e = (err ?? {}) as DockerodeError
  const { why, hint } = tlsReason(host, e, tls) ?? unreachableReason(host, e)
  return new EnvctlError('ENGINE_UNREACHABLE', `cannot reach the Docker engine at ${host}: ${why}`, { hint, cause: err })
}

function tlsReason(host: string, e: DockerodeError, tls: TlsHint | undefined): { why: string; hint: string } | undefined {
  const isTls = (e.code !== undefined && TLS_CODES.test(e.code)) || (e.code !== 'ECONNREFUSED' && TLS_TEXT.test(e.message ?? ''))
  if (!isTls) return undefined
  const files = tls ? `the certificates in ${tls.dir} (from ${tls.from})` : 'no client certificates (TLS is off: set DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, or use a Docker context with TLS files)'
  return {
    why: `the TLS handshake failed (${e.message ?? e.code}) with ${files}`,
    hint: `get ca.pem, cert.pem and key.pem made for this engine (${host}) from its administrator and put them in ${tls?.dir ?? 'a folder named by DOCKER_CERT_PATH'}; check with: docker --tlsverify -H ${host} version`,
  }
}

function unreachableReason(host: string, e: DockerodeError): { why: string; hint: string } {
  const other = 'or point --docker-host / DOCKER_HOST at a running engine'
  switch (e.code) {
    case 'ENOENT':
      return { why: 'the socket does not exist', hint: `start the engine (sudo dockerd &, or sudo systemctl start docker), ${other}` }
    case 'EACCES':
    case 'EPERM':
      return {
        why: 'permission denied on the socket',
        hint: 'add yourself to the docker group (sudo usermod -aG docker $USER, then log in again), or use rootless Docker',
      }
    case 'ECONNREFUSED':
      return { why: 'connection refused', hint: `start the engine (sudo dockerd &, or sudo systemctl start docker), ${other}` }
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return { why: 'the host name does not resolve', hint: `check the host in DOCKER_HOST / --docker-host (${host})` }
    case 'ECONNRESET':
    case 'EPIPE':
      return { why: 'the connection broke off mid-request (the engine stopped or restarted)', hint: `check that the engine is running again (docker info) and run the command again, ${other}` }
  }
  if (/^(aborted|socket hang up)$/i.test(e.message ?? '')) return unreachableReason(host, { code: 'ECONNRESET' })
  if (e.statusCode !== undefined) {
    return { why: `it answered /_ping with HTTP ${e.statusCode}, so it is not a Docker engine`, hint: `check the address in --docker-host / DOCKER_HOST (${host})` }
  }
  if (host.startsWith('ssh://') && e.level) {
    return { why: `ssh failed (${e.message ?? e.level})`, hint: `check that "ssh ${host.slice(6)} docker version" works` }
  }
  if (e.name === 'AbortError' || e.name === 'TimeoutError' || e.code === 'ETIMEDOUT' || /timed? ?out/i.test(e.message ?? '')) {
    return { why: 'no answer in time', hint: `check that the engine at ${host} is running and reachable, ${other}` }
  }
  return { why: e.message ?? e.code ?? 'connection failed', hint: `check that the engine is running, ${other}` }
}

/** How the engine, BuildKit and the programs in a build step say that a file system is full. */
const DISK_FULL = /no space left on device|\bENOSPC\b|\[Errno 28\]|disk quota exceeded/i

/** The first line of `texts` that says a disk is full: the engine's (or the build step's) own words. */
export function diskFullLine(texts: readonly string[]): string | undefined {
  for (const text of texts) {
    const line = text.split('\n').find((l) => DISK_FULL.test(l))
    if (line) return line.trim()
  }
  return undefined
}

/** Where a full disk surfaced: the line that says so, during what, and the failed step's last lines. */
export interface DiskFullFacts {
  line: string
  during: string
  problems: Problem[]
}

/** Whether `err` (a failed build, pull, create…; `subject` names it) was a full disk, and the facts to say so. */
export function diskFullIn(err: unknown, subject: string): DiskFullFacts | undefined {
  const failed = err instanceof BuildFailedError ? err : undefined
  const line = diskFullLine([err instanceof EnvctlError ? err.message : engineMessage(err), ...(failed?.logTail ?? [])])
  if (!line) return undefined
  const during = failed?.step ? `build step "${shorten(failed.step)}"` : `the ${subject}`
  return { line, during, problems: failed?.problems.slice(-5) ?? [] }
}

/** A BuildKit step name is the whole RUN line; its first words say which one it was. */
function shorten(step: string, max = 100): string {
  const flat = step.replace(/\s+/g, ' ').trim()
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}

/**
 * The engine's file system is full. Everything it stores (images, build cache, container layers, volumes)
 * lives under its data root, so that is where space has to be freed.
 */
export function diskFull(facts: Pick<DiskFullFacts, 'line' | 'during'> & Partial<DiskFullFacts>, opts: { dataRoot?: string; cause?: unknown } = {}): EnvctlError {
  const where = opts.dataRoot ? `at ${opts.dataRoot}` : 'in its data root'
  const dir = opts.dataRoot ?? "the engine's data root (docker info: Docker Root Dir)"
  return new EnvctlError('DISK_FULL', `the engine ran out of disk space ${where} during ${facts.during}: ${facts.line}`, {
    hint: `free space in ${dir}: envctl prune removes envctl's unused images and build cache; docker system df shows what else takes space (docker image prune, docker builder prune); or move the data root to a larger disk`,
    problems: facts.problems,
    cause: opts.cause,
  })
}

/** RLIMIT_* numbers as runc reports them ("error setting rlimit type 8") on Linux x86 and arm. */
const RLIMIT_NAMES = ['cpu', 'fsize', 'data', 'stack', 'core', 'rss', 'nproc', 'nofile', 'memlock', 'as', 'locks', 'sigpending', 'msgqueue', 'nice', 'rtprio', 'rttime']

/** The engine could not give the container a resource limit (rootless Docker, or a daemon whose own hard limit is lower). */
export class LimitRefusedError extends EnvctlError {
  /** The ulimit's name as docker spells it: memlock, stack, nofile… */
  readonly limit: string

  constructor(limit: string, message: string, cause: unknown) {
    super('START_FAILED', `the engine refused the container's ${limit} limit: ${message}`, {
      hint: `lower run.ulimits.${limit} to what the engine allows, or remove it; envctl doctor says which limits this engine refuses`,
      cause,
    })
    this.name = 'LimitRefusedError'
    this.limit = limit
  }
}

/** Which limit runc could not set, from the engine's start error; null when the error is about something else. */
export function refusedLimit(message: string): string | null {
  const m = /error setting rlimit type (\d+)/.exec(message)
  return m ? (RLIMIT_NAMES[Number(m[1])] ?? `rlimit ${m[1]}`) : null
}

/** runc's "error running hook #0: error running hook: exit status 1, stdout: …, stderr: …: unknown", down to what the hook said. */
function hookSaid(message: string): string {
  const stderr = /stderr:\s*(.*?)(?::\s*unknown)?\.?$/s.exec(message)?.[1]?.trim()
  return stderr || message
}

/**
 * Maps errors from a container start; GPU, port, limit and name problems get their own codes. `gpu`: the
 * container asked for GPUs, so a failing prestart hook is the NVIDIA container toolkit's.
 */
export function startFailed(err: unknown, containerId: string, opts: { gpu?: boolean } = {}): EnvctlError {
  const message = engineMessage(err)
  if (/could not select device driver/i.test(message)) {
    return new EnvctlError('GPU_UNAVAILABLE', `the engine cannot give this container a GPU: ${message}`, {
      hint: 'install the NVIDIA Container Toolkit on the engine host (nvidia-ctk runtime configure --runtime=docker, then restart dockerd), or run with --gpus none',
      cause: err,
    })
  }
  if (opts.gpu && /error running hook/i.test(message)) {
    return new EnvctlError('GPU_UNAVAILABLE', `the NVIDIA container toolkit's hook failed as the container started: ${hookSaid(message)}`, {
      hint: 'the NVIDIA driver or the NVIDIA Container Toolkit on the engine host is broken: check nvidia-smi and nvidia-container-cli info there, and run envctl doctor; or run without a GPU: --gpus none',
      cause: err,
    })
  }
  const limit = refusedLimit(message)
  if (limit) return new LimitRefusedError(limit, message, err)
  if (/port is already allocated|address already in use/i.test(message)) {
    return new EnvctlError('PORT_IN_USE', `a published port is already in use: ${message}`, {
      hint: 'stop whatever holds the port (envctl ls, docker ps, ss -ltnp), or choose another host port in the stack file',
      cause: err,
    })
  }
  return new EnvctlError('START_FAILED', `container ${containerId.slice(0, 12)} failed to start: ${message}`, {
    hint: 'envctl logs shows its output; run with DEBUG=envctl* for the engine request',
    cause: err,
  })
}

/** Maps any other engine error; `subject` names what the request was about ("image python:3.11"). */
export function engineFailure(err: unknown, host: string, subject: string): unknown {
  if (err instanceof EnvctlError) return err
  if (isConnectionError(err)) return engineUnreachable(host, err)
  const message = engineMessage(err)
  const status = statusCodeOf(err)
  if (status === 404) return new EnvctlError('NOT_FOUND', `${subject} not found: ${message}`, { cause: err })
  if (status === 409 && /already in use|already exists/i.test(message)) {
    return new EnvctlError('NAME_CONFLICT', `${subject}: ${message}`, {
      hint: 'remove the other one (envctl down, or docker rm -f <name>) or choose another name',
      cause: err,
    })
  }
  if (status === 409 && /is not running|is paused/i.test(message)) {
    return new EnvctlError('START_FAILED', `${subject}: ${message}`, { hint: 'start it with envctl up', cause: err })
  }
  if (/port is already allocated|address already in use/i.test(message)) return startFailed(err, subject)
  return err
}
