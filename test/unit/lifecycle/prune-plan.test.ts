import { describe, expect, it } from 'vitest'
import type { ImageSummary } from '../../../src/engine/engine.js'
import { pruneReport, unusedImages } from '../../../src/environment/prune-plan.js'

function image(id: string, repoTags: string[], sizeBytes = 1_000_000): ImageSummary {
  return { id, repoTags, labels: { 'dev.envctl.managed': '1' }, created: 0, sizeBytes }
}

describe('unusedImages', () => {
  it('drops images any container was created from; tagged ones first, by tag', () => {
    const images = [image('sha256:used', ['envctl/a:1']), image('sha256:b', ['envctl/b:2', 'envctl/b:1']), image('sha256:none', ['<none>:<none>'])]
    expect(unusedImages(images, new Set(['sha256:used']))).toEqual([
      { id: 'sha256:b', tags: ['envctl/b:1', 'envctl/b:2'], sizeBytes: 1_000_000 },
      { id: 'sha256:none', tags: [], sizeBytes: 1_000_000 },
    ])
  })
})

describe('pruneReport', () => {
  const found = { images: [{ id: 'sha256:0123456789abcdef', tags: [], sizeBytes: 2_000_000 }, { id: 'sha256:b', tags: ['envctl/b:1'], sizeBytes: 3_000_000 }], volumes: ['envctl-cache-npm'], kept: [{ name: 'envctl-cache-pip', reason: 'in use by envctl-a' }] }

  it('says what a dry run would do, without a build cache size', () => {
    expect(pruneReport({ dryRun: true, ...found, buildCacheBytes: null, reclaimedBytes: 5_000_000 }).split('\n')).toEqual([
      'would remove image 0123456789ab (2.0 MB)',
      'would remove image envctl/b:1 (3.0 MB)',
      'would remove volume envctl-cache-npm',
      'kept envctl-cache-pip: in use by envctl-a',
      'would prune the build cache (its size is known only once pruned)',
      'would reclaim up to 5.0 MB',
    ])
  })

  it('says what was removed and reclaimed, and when there was nothing', () => {
    const text = pruneReport({ dryRun: false, images: [], volumes: [], kept: [], buildCacheBytes: 4_000, reclaimedBytes: 4_000 })
    expect(text.split('\n')).toEqual(['no unused envctl images or volumes', 'pruned the build cache (4.0 KB)', 'reclaimed up to 4.0 KB'])
  })
})
