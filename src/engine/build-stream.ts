import type { Readable } from 'node:stream'
import { EnvctlError } from '../errors/envctl-error.js'
import { BuildTrace, type FailedStep } from './build-trace.js'
import type { OnProgress } from './engine.js'
import { jsonLines } from './json-lines.js'
import { inBandError } from './pull-stream.js'

const TRACE_ID = 'moby.buildkit.trace'

/** A failed build, naming the step that failed and carrying the end of that step's output. */
export class BuildFailedError extends EnvctlError {
  readonly step?: string
  readonly logTail: string[]

  constructor(reason: string, failed: FailedStep | undefined, cause?: unknown) {
    const where = failed ? ` at step "${failed.name}"` : ''
    super('BUILD_FAILED', `build failed${where}: ${failed?.error || reason}`, {
      hint: buildHint(failed),
      problems: (failed?.logTail ?? []).map((line) => ({ message: `| ${line}` })),
      cause,
    })
    this.name = 'BuildFailedError'
    this.step = failed?.name
    this.logTail = failed?.logTail ?? []
  }
}

const SHOW_DOCKERFILE = 'envctl dockerfile prints the Dockerfile that was built'
/** How pip, npm, apt, curl and Java say that a server's certificate chain is not trusted. */
const UNTRUSTED_CERTIFICATE = /CERTIFICATE_VERIFY_FAILED|certificate verify failed|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT|unable to get local issuer certificate|self[- ]signed certificate|PKIX path building failed|Certificate verification failed/i

function buildHint(failed: FailedStep | undefined): string {
  if (failed && /load metadata for|\] FROM /.test(failed.name)) {
    return `the base image could not be fetched: set a mirror under [mirrors] registry in the stack file, or run docker login <registry> if it is private; ${SHOW_DOCKERFILE}`
  }
  if (failed?.logTail.some((line) => UNTRUSTED_CERTIFICATE.test(line))) {
    return `a download failed TLS verification: if your network or mirror uses its own CA, set network.ca_bundle to it (envctl.toml or the user config; docs/CONFIG.md); ${SHOW_DOCKERFILE}`
  }
  if (failed?.logTail.length) return `the lines above are the last ${failed.logTail.length} of that step's output; ${SHOW_DOCKERFILE}`
  return SHOW_DOCKERFILE
}

/**
 * Reads a /build response to the end. Failures arrive in-band (the HTTP status is already 200), so an
 * `error`/`errorDetail` line is what decides; the BuildKit trace says which step it was.
 */
export async function readBuildStream(stream: Readable, onProgress: OnProgress = () => {}): Promise<string> {
  const trace = new BuildTrace(onProgress)
  const classic = { step: '' }
  let imageId: string | undefined
  let failure: string | undefined
  for await (const event of jsonLines(stream)) {
    const error = inBandError(event)
    if (error) failure = error
    else if (event.id === TRACE_ID && typeof event.aux === 'string') trace.handleAux(event.aux)
    else if (imageIdOf(event)) imageId = imageIdOf(event)
    else if (typeof event.stream === 'string') classicOutput(event.stream, classic, onProgress)
  }
  trace.finish()
  if (failure) throw new BuildFailedError(failure, trace.failedStep() ?? classicStep(classic.step, failure))
  if (!imageId) throw new EnvctlError('BUILD_FAILED', 'the engine ended the build without reporting an image id')
  return imageId
}

function imageIdOf(event: Record<string, unknown>): string | undefined {
  const aux = event.aux as { ID?: unknown } | undefined
  return aux && typeof aux === 'object' && typeof aux.ID === 'string' ? aux.ID : undefined
}

/** The classic builder (API version 1) prints "Step 2/3 : RUN …" lines instead of a trace. */
function classicOutput(text: string, state: { step: string }, onProgress: OnProgress): void {
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) continue
    if (/^Step \d+\/\d+ : /.test(line)) state.step = line.replace(/^Step (\d+\/\d+) : /, '[$1] ')
    onProgress({ kind: 'info', text: line })
  }
}

function classicStep(step: string, error: string): FailedStep | undefined {
  return step ? { id: step, name: step, error, logTail: [] } : undefined
}
