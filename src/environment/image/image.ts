import type { Engine, OnProgress } from '../../engine/engine.js'
import type { ResolvedStack } from '../../resolvers/types.js'
import type { CredentialsFor } from '../../engine/docker-config-file.js'
import { pullWithAuth } from './pull-with-auth.js'
import { proxyVariables } from '../container/proxy.js'
import { buildSecretFiles } from '../../render/secrets.js'

export interface ImageRequest {
  resolved: ResolvedStack
  dockerfile: string
  contextFiles?: Record<string, string | Buffer>
  tag: string
  labels: Record<string, string>
  noCache?: boolean
  pull?: boolean
  onProgress?: OnProgress
  signal?: AbortSignal
}


/** "python:3.11-slim@sha256:…" → "python"; "localhost:5000/x:1" → "localhost:5000/x" (a port is not a tag). */
export function repoOf(image: string): string {
  const ref = image.split('@')[0]!
  const colon = ref.lastIndexOf(':')
  return colon > ref.lastIndexOf('/') ? ref.slice(0, colon) : ref
}

/** "nvidia/cuda:12.4.1-…" through a registry mirror: "<mirror>/nvidia/cuda:…"; Docker Hub's library/ made explicit. */
export function mirroredRef(image: string, registry: string): string {
  const host = registry.replace(/^https?:\/\//, '').replace(/\/+$/, '')
  const first = image.split('/')[0]
  const hasRegistry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
  if (hasRegistry) return image
  return `${host}/${image.includes('/') ? image : `library/${image}`}`
}

export interface BaseOptions {
  onProgress?: OnProgress
  force?: boolean
  /** Registry credentials from the user's Docker config (auths, credsStore, credHelpers). */
  credentials?: CredentialsFor
  /** Ctrl-C: stops the pull (the engine keeps no half-pulled image). */
  signal?: AbortSignal
}

function pull(engine: Engine, ref: string, opts: BaseOptions): Promise<void> {
  return pullWithAuth(engine, ref, opts)
}

/** Pulls the base image when the engine lacks it, through `[mirrors] registry` when set, with the user's credentials. */
export async function ensureBase(engine: Engine, r: ResolvedStack, opts: BaseOptions = {}): Promise<'present' | 'pulled'> {
  const ref = r.base.digest ? `${repoOf(r.base.image)}@${r.base.digest}` : r.base.image
  if (!opts.force && (await engine.imageExists(ref))) return 'present'
  if (r.mirrors.registry) {
    const via = mirroredRef(r.base.image, r.mirrors.registry)
    await pull(engine, via, opts)
    if (via !== r.base.image) await engine.tagImage(via, r.base.image)
  } else {
    await pull(engine, ref, opts)
  }
  return 'pulled'
}

/** Builds only when no image has this content hash; returns whether it built. */
export async function ensureImage(engine: Engine, req: ImageRequest): Promise<{ built: boolean; imageId: string }> {
  if (!req.noCache && !req.pull && (await engine.imageExists(req.tag))) {
    return { built: false, imageId: (await engine.inspectImage(req.tag)).id }
  }
  const { imageId } = await engine.buildImage({
    dockerfile: req.dockerfile,
    // Credentials join the context here, after the content hash was taken (render/secrets.ts says why).
    contextFiles: { ...req.contextFiles, ...buildSecretFiles(req.resolved) },
    tag: req.tag,
    labels: req.labels,
    buildArgs: proxyVariables(req.resolved.network),
    networkMode: req.resolved.network.buildNetwork === 'host' ? 'host' : undefined,
    noCache: req.noCache,
    onProgress: req.onProgress,
    signal: req.signal,
  })
  return { built: true, imageId }
}
