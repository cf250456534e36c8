import type { Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { mirroredRef } from '../environment/image/image.js'

/** Pulls a service's image when the engine lacks it, through the stack's registry mirror when it has one. */
export async function ensureServiceImage(engine: Engine, image: string, registry: string | undefined, signal?: AbortSignal): Promise<'present' | 'pulled'> {
  if (await engine.imageExists(image)) return 'present'
  const via = registry ? mirroredRef(image, registry) : image
  try {
    await engine.pullImage(via, { signal })
  } catch (err) {
    if (!(err instanceof EnvctlError) || !['PULL_FAILED', 'NOT_FOUND'].includes(err.code)) throw err
    const message = err.code === 'PULL_FAILED' ? err.message : `cannot pull ${via}: ${err.message}`
    throw new EnvctlError('PULL_FAILED', `service image ${image}: ${message}`, {
      problems: err.problems,
      hint: 'check the image name and tag in [services.*].image, or push the image to your registry mirror ([mirrors] registry)',
      cause: err,
    })
  }
  if (via !== image) await engine.tagImage(via, image)
  return 'pulled'
}
