import type { ImageSummary } from '../engine/engine.js'
import { bytes } from '../ui/table.js'
import type { Kept } from './volume-plan.js'

export interface PrunedImage {
  id: string
  tags: string[]
  sizeBytes: number
}

export interface PruneResult {
  dryRun: boolean
  images: PrunedImage[]
  volumes: string[]
  /** Things that were candidates but stayed, with the reason. */
  kept: Kept[]
  /** null when nothing was pruned (dry run): the engine only measures build cache by removing it. */
  buildCacheBytes: number | null
  /**
   * Image sizes plus build cache. An image's size counts layers it may share with images that stay, so
   * this is an upper bound; the engine reports no volume sizes.
   */
  reclaimedBytes: number
}

/** envctl images that no container, envctl's or not, running or stopped, was created from. */
export function unusedImages(images: readonly ImageSummary[], usedImageIds: ReadonlySet<string>): PrunedImage[] {
  return images
    .filter((i) => !usedImageIds.has(i.id))
    .map((i) => ({ id: i.id, tags: [...i.repoTags].filter((t) => t !== '<none>:<none>').sort(), sizeBytes: i.sizeBytes }))
    .sort(byName)
}

/** Tagged images by tag, then untagged ones by id: a stable order for people and for --json. */
function byName(a: PrunedImage, b: PrunedImage): number {
  const key = (i: PrunedImage) => (i.tags.length ? `0${i.tags[0]}` : `1${i.id}`)
  return key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0
}

function imageName(i: PrunedImage): string {
  return i.tags.length ? i.tags.join(', ') : i.id.replace(/^sha256:/, '').slice(0, 12)
}

/** What prune did (or would do), one line per thing, for people; --json carries the same as data. */
export function pruneReport(r: PruneResult): string {
  const verb = r.dryRun ? 'would remove' : 'removed'
  const lines = [
    ...r.images.map((i) => `${verb} image ${imageName(i)} (${bytes(i.sizeBytes)})`),
    ...r.volumes.map((v) => `${verb} volume ${v}`),
    ...r.kept.map((k) => `kept ${k.name}: ${k.reason}`),
  ]
  if (r.buildCacheBytes === null) lines.push('would prune the build cache (its size is known only once pruned)')
  else lines.push(`pruned the build cache (${bytes(r.buildCacheBytes)})`)
  if (r.images.length === 0 && r.volumes.length === 0) lines.unshift('no unused envctl images or volumes')
  lines.push(`${r.dryRun ? 'would reclaim' : 'reclaimed'} up to ${bytes(r.reclaimedBytes)}`)
  return lines.join('\n')
}
