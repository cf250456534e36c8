import type { Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { CredentialsFor } from '../engine/docker-config-file.js'
import { mirroredRef } from '../environment/image/image.js'
import { pullWithAuth } from '../environment/image/pull-with-auth.js'

export interface ServicePullOptions {
  /** The stack's [mirrors] registry. */
  registry?: string
  credentials?: CredentialsFor
  signal?: AbortSignal
}

/** Pulls a service's image when the engine lacks it, through the stack's registry mirror when it has one, with the user's credentials. */
export async function ensureServiceImage(engine: Pick<Engine, 'imageExists' | 'pullImage' | 'tagImage'>, image: string, opts: ServicePullOptions = {}): Promise<'present' | 'pulled'> {
  if (await engine.imageExists(image)) return 'present'
  const via = opts.registry ? mirroredRef(image, opts.registry) : image
  try {
    await pullWithAuth(engine, via, { credentials: opts.credentials, signal: opts.signal })
  } catch (err) {
    if (!(err instanceof EnvctlError) || !['PULL_FAILED', 'NOT_FOUND'].includes(err.code)) throw err
    const message = err.code === 'PULL_FAILED' ? err.message : `cannot pull ${via}: ${err.message}`
    throw new EnvctlError('PULL_FAILED', `service image ${image}: ${message}`, {
      problems: err.problems,
      // A credentials problem keeps its own remedy (docker login, the helper); anything else is about the name or the mirror.
      hint: /refused access|credential helper/.test(err.message) ? err.hint : 'check the image name and tag in [services.*].image, or push the image to your registry mirror ([mirrors] registry)',
      cause: err,
    })
  }
  if (via !== image) await engine.tagImage(via, image)
  return 'pulled'
}
