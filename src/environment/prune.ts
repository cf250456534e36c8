import type { Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { LABEL } from './naming.js'
import { acquireLock, liveLocks, PRUNE_LOCK } from './env-lock.js'
import { unusedImages, type PrunedImage, type PruneResult } from './prune-plan.js'
import { planVolumeRemoval, type Kept } from './volume-plan.js'
import { cacheVolumeNames, removeVolumes, volumeUsers } from './volume-users.js'

export type { PruneResult } from './prune-plan.js'

export interface PruneInput {
  /** Where environment locks live: images an `up` in flight is about to use are kept. */
  lockDir: string
  uid: number
  signal?: AbortSignal
  /** Also remove cache volumes no envctl container mounts. */
  volumes?: boolean
  /** All unused build cache, not only dangling entries. */
  all?: boolean
  dryRun?: boolean
}

/** Untags each tag (the last one deletes the image), so an image is never forced away. */
async function removeImage(engine: Engine, image: PrunedImage): Promise<Kept | null> {
  try {
    for (const ref of image.tags.length ? image.tags : [image.id]) await engine.removeImage(ref)
    return null
  } catch (err) {
    if (err instanceof EnvctlError) throw err
    return { name: image.tags[0] ?? image.id, reason: `the engine refused: ${(err as Error).message}` }
  }
}

async function candidates(engine: Engine, input: PruneInput): Promise<{ images: PrunedImage[]; volumes: string[]; kept: Kept[] }> {
  const containers = await engine.listContainers({ all: true })
  const unused = unusedImages(await engine.listImages({ labels: { [LABEL.managed]: '1' } }), new Set(containers.map((c) => c.imageId)))
  const inFlight = new Set((await liveLocks(input.lockDir)).flatMap((l) => (l.image ? [l.image] : [])))
  const images = unused.filter((i) => !i.tags.some((t) => inFlight.has(t)))
  if (!input.volumes) return { images, volumes: [], kept: [] }
  const plan = planVolumeRemoval(await cacheVolumeNames(engine), await volumeUsers(engine), true)
  return { images, volumes: plan.remove, kept: plan.kept }
}

/**
 * Removes what envctl made and nothing uses: its images no container was created from, the engine's
 * dangling build cache (BuildKit's cache carries no labels, so this is engine-wide, as `docker builder
 * prune` is), and with `volumes` its unused cache volumes. A dry run only lists.
 */
export async function prune(engine: Engine, input: PruneInput): Promise<PruneResult> {
  // Held while it removes: an `up` that has named its image waits for it, one that has not yet is seen here.
  const held = await acquireLock(input.lockDir, PRUNE_LOCK, { uid: input.uid, command: 'prune', env: '*' }, { signal: input.signal })
  try {
    return await pruneUnlocked(engine, input)
  } finally {
    await held.release()
  }
}

async function pruneUnlocked(engine: Engine, input: PruneInput): Promise<PruneResult> {
  const found = await candidates(engine, input)
  const imageBytes = (list: PrunedImage[]) => list.reduce((n, i) => n + i.sizeBytes, 0)
  if (input.dryRun) return { dryRun: true, ...found, buildCacheBytes: null, reclaimedBytes: imageBytes(found.images) }
  const kept = [...found.kept]
  const images: PrunedImage[] = []
  for (const image of found.images) {
    const refused = await removeImage(engine, image)
    if (refused) kept.push(refused)
    else images.push(image)
  }
  const vols = await removeVolumes(engine, found.volumes)
  const { spaceReclaimedBytes } = await engine.pruneBuildCache({ all: input.all })
  return { dryRun: false, images, volumes: vols.removed, kept: [...kept, ...vols.kept], buildCacheBytes: spaceReclaimedBytes, reclaimedBytes: imageBytes(images) + spaceReclaimedBytes }
}
