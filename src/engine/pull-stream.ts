import type { Readable } from 'node:stream'
import { EnvctlError } from '../errors/envctl-error.js'
import type { OnProgress } from './engine.js'
import { jsonLines } from './json-lines.js'

/** Follows a pull's progress stream; an in-band error (the HTTP status was already 200) fails the pull. */
export async function readPullStream(stream: Readable, ref: string, onProgress: OnProgress = () => {}): Promise<void> {
  let failure: string | undefined
  for await (const event of jsonLines(stream)) {
    const error = inBandError(event)
    if (error) failure = error
    else if (typeof event.status === 'string') onProgress(pullEvent(event, event.status))
  }
  if (failure) throw pullFailed(ref, failure)
}

function pullEvent(event: Record<string, unknown>, status: string) {
  const detail = (event.progressDetail ?? {}) as { current?: number; total?: number }
  return {
    kind: 'pull' as const,
    id: typeof event.id === 'string' ? event.id : '',
    status,
    ...(typeof detail.current === 'number' ? { current: detail.current } : {}),
    ...(typeof detail.total === 'number' ? { total: detail.total } : {}),
  }
}

export function inBandError(event: Record<string, unknown>): string | undefined {
  const detail = event.errorDetail as { message?: string } | undefined
  if (typeof detail?.message === 'string' && detail.message) return detail.message
  return typeof event.error === 'string' && event.error ? event.error : undefined
}

/** Why a pull failed, in the user's terms, with the two usual remedies: a mirror, or credentials. */
export function pullFailed(ref: string, message: string, opts: { cause?: unknown } = {}): EnvctlError {
  return new EnvctlError('PULL_FAILED', `cannot pull ${ref}: ${pullReason(message)} (${message})`, {
    hint: 'check the image name and tag; if the registry is unreachable, set a mirror under [mirrors] registry in the stack file; if it is private, run docker login <registry> (envctl uses the Docker config\'s auths, credsStore and credHelpers).',
    cause: opts.cause,
  })
}

function pullReason(message: string): string {
  if (/manifest unknown|not found|does not exist/i.test(message)) return 'no such image or tag in the registry'
  if (/unauthorized|denied|authentication required|requested access to the resource/i.test(message)) return 'the registry refused access'
  if (/no such host|lookup .*:|dial tcp|connection refused|i\/o timeout|TLS handshake|network is unreachable/i.test(message)) {
    return 'the registry is unreachable'
  }
  if (/toomanyrequests|rate limit/i.test(message)) return 'the registry is rate-limiting pulls'
  return 'the engine reported an error'
}
