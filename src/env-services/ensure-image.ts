import type { Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { CredentialsFor } from '../engine/docker-config-file.js'
import { mirroredRef, repoOf } from '../environment/image/image.js'
import { pullWithAuth } from '../environment/image/pull-with-auth.js'
import { pickBaseDigest } from '../project/base-digest.js'

export interface ServiceImageOptions {
  /** The stack's [mirrors] registry. */
  registry?: string
  /** The engine's own Docker Hub mirrors: a digest pulled through one is the upstream digest. */
  engineMirrors: string[]
  /** Registry credentials from the Docker config (credential helpers, auths), as for the base image. */
  credentials?: CredentialsFor
  signal?: AbortSignal
}

/** What a service runs: the reference the engine has it under, and its registry digest when it has one. */
export interface ServiceImage {
  ref: string
  digest: string | null
}

/** "postgres:16" at a digest: "postgres@sha256:…", or through [mirrors] registry "<mirror>/library/postgres@sha256:…". */
export function digestRef(image: string, digest: string, registry?: string): string {
  return `${repoOf(registry ? mirroredRef(image, registry) : image)}@${digest}`
}

async function pull(engine: Engine, ref: string, image: string, opts: ServiceImageOptions): Promise<void> {
  try {
    await pullWithAuth(engine, ref, { credentials: opts.credentials, signal: opts.signal })
  } catch (err) {
    if (!(err instanceof EnvctlError) || !['PULL_FAILED', 'NOT_FOUND'].includes(err.code)) throw err
    const message = err.code === 'PULL_FAILED' ? err.message : `cannot pull ${ref}: ${err.message}`
    throw new EnvctlError('PULL_FAILED', `service image ${image}: ${message}`, {
      problems: err.problems,
      // A credentials problem keeps its own remedy (docker login, the helper); anything else is about the name or the mirror.
      hint: /refused access|credential helper/.test(err.message) ? err.hint : 'check the image name and tag in [services.*].image, or push the image to your registry mirror ([mirrors] registry)',
      cause: err,
    })
  }
}

/** The tag, pulled when the engine lacks it (through the stack's mirror when set), then its digest if a registry gave one. */
async function byTag(engine: Engine, image: string, opts: ServiceImageOptions): Promise<ServiceImage> {
  if (!(await engine.imageExists(image))) {
    const via = opts.registry ? mirroredRef(image, opts.registry) : image
    await pull(engine, via, image, opts)
    if (via !== image) await engine.tagImage(via, image)
  }
  const { repoDigests } = await engine.inspectImage(image)
  const digest = pickBaseDigest(image, repoDigests, [...(opts.registry ? [opts.registry] : []), ...opts.engineMirrors])
  // Run it by the very digest found, under the repository the engine recorded it for.
  const found = digest ? repoDigests.find((rd) => rd.endsWith(`@${digest}`) && [image, ...(opts.registry ? [mirroredRef(image, opts.registry)] : [])].some((r) => sameRepo(rd, r))) : undefined
  return found ? { ref: found, digest: digest! } : { ref: image, digest: digest ?? null }
}

const sameRepo = (repoDigest: string, image: string): boolean => {
  const bare = (r: string) => repoOf(r).replace(/^docker\.io\//, '').replace(/^library\//, '')
  return bare(repoDigest) === bare(image)
}

/**
 * Makes what a service runs present on the engine, with the same mirror and credentials as the base image:
 * the digest envctl.lock pinned, else the tag (whose digest the lock then records).
 */
export async function ensureServiceImage(engine: Engine, s: { image: string; digest: string | null }, opts: ServiceImageOptions): Promise<ServiceImage> {
  if (!s.digest) return byTag(engine, s.image, opts)
  const ref = digestRef(s.image, s.digest, opts.registry)
  if (!(await engine.imageExists(ref))) await pull(engine, ref, s.image, opts)
  return { ref, digest: s.digest }
}
