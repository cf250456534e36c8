import { setTimeout as delay } from 'node:timers/promises'
import type { Readable } from 'node:stream'
import type Dockerode from 'dockerode'
import { EnvctlError } from '../errors/envctl-error.js'
import { readBuildStream } from './build-stream.js'
import type { BuildOptions } from './engine.js'
import { packTar } from './tar.js'

const DOCKERFILE = 'Dockerfile'
/** Time for the daemon to notice the closed connection and cancel the solve before we check the tag. */
const CANCEL_SETTLE_MS = 500

/** The build context, in memory: the generated Dockerfile plus any extra files, never written to disk. */
export function buildContext(opts: Pick<BuildOptions, 'dockerfile' | 'contextFiles'>): Buffer {
  const extra = Object.entries(opts.contextFiles ?? {})
  if (extra.some(([path]) => path.replace(/^\.?\//, '') === DOCKERFILE)) {
    throw new EnvctlError('USAGE', `a context file may not be called ${DOCKERFILE}: envctl puts the generated Dockerfile there`)
  }
  return packTar([{ path: DOCKERFILE, content: opts.dockerfile }, ...extra.map(([path, content]) => ({ path, content }))])
}

export function buildQuery(opts: BuildOptions): Record<string, unknown> {
  return {
    t: opts.tag,
    dockerfile: DOCKERFILE,
    version: '2',
    forcerm: true,
    rm: true,
    labels: opts.labels ?? {},
    buildargs: opts.buildArgs ?? {},
    ...(opts.networkMode ? { networkmode: opts.networkMode } : {}),
    ...(opts.noCache ? { nocache: true } : {}),
    ...(opts.pull ? { pull: true } : {}),
  }
}

/**
 * Runs a BuildKit build and reads its stream. On abort the response stream is destroyed, which makes the
 * daemon cancel the solve; the tag is then put back where it pointed before, so an interrupted build
 * leaves neither a new tag nor a moved one.
 */
export async function runBuild(docker: Dockerode, opts: BuildOptions): Promise<string> {
  const signal = opts.signal
  if (signal?.aborted) throw interrupted()
  const before = await imageIdOf(docker, opts.tag)
  const stream = (await docker.buildImage(buildContext(opts) as unknown as NodeJS.ReadableStream, buildQuery(opts))) as Readable
  // Closing the response is what makes the daemon cancel the solve (and end dockerode's /session).
  const onAbort = () => stream.destroy()
  signal?.addEventListener('abort', onAbort, { once: true })
  try {
    return await readBuildStream(stream, opts.onProgress)
  } catch (err) {
    if (!signal?.aborted) throw err
    await delay(CANCEL_SETTLE_MS)
    await restoreTag(docker, opts.tag, before)
    throw interrupted()
  } finally {
    signal?.removeEventListener('abort', onAbort)
  }
}

async function restoreTag(docker: Dockerode, tag: string, before: string | undefined): Promise<void> {
  const after = await imageIdOf(docker, tag)
  if (!after || after === before) return
  if (before) {
    const { repo, tag: version } = splitTag(tag)
    await docker.getImage(before).tag({ repo, tag: version })
  }
  // Only removes the image when nothing else uses it; a refusal (409) leaves it to `envctl prune`.
  await docker.getImage(before ? after : tag).remove().catch(() => undefined)
}

async function imageIdOf(docker: Dockerode, ref: string): Promise<string | undefined> {
  try {
    return (await docker.getImage(ref).inspect()).Id
  } catch (err) {
    if ((err as { statusCode?: number }).statusCode === 404) return undefined
    throw err
  }
}

/** "registry:5000/repo:tag" → repo "registry:5000/repo", tag "tag"; no tag → "latest". */
export function splitTag(ref: string): { repo: string; tag: string } {
  const colon = ref.lastIndexOf(':')
  if (colon > ref.lastIndexOf('/')) return { repo: ref.slice(0, colon), tag: ref.slice(colon + 1) }
  return { repo: ref, tag: 'latest' }
}

function interrupted(): EnvctlError {
  return new EnvctlError('INTERRUPTED', 'build interrupted; the image tag was left as it was before', {
    hint: 'run the command again to build',
  })
}
