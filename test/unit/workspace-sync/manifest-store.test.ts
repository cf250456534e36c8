import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { loadManifest, manifestPath, saveManifest } from '../../../src/workspace-sync/manifest-store.js'

describe('the workspace manifest in the state folder', () => {
  let dir: string
  afterEach(async () => rm(dir, { recursive: true, force: true }))

  it('is one file per engine and volume, read back only for the volume it describes', async () => {
    dir = await mkdtemp(join(tmpdir(), 'envctl-manifest-'))
    const path = manifestPath(dir, 'tcp://10.0.0.5:2376', 'envctl-p-1-workspace')
    expect(path).not.toBe(manifestPath(dir, 'tcp://10.0.0.6:2376', 'envctl-p-1-workspace'))
    expect(await loadManifest(path, 'id1')).toEqual({ manifest: { volumeId: 'id1', files: {} } })
    const files = { 'a.txt': { size: 1, mtime: 2, mode: 0o644, hash: 'h', remoteMtime: 2 } }
    await saveManifest(path, { volumeId: 'id1', files })
    expect((await loadManifest(path, 'id1')).manifest.files).toEqual(files)
    expect(await loadManifest(path, 'id2')).toEqual({ manifest: { volumeId: 'id2', files: {} }, discarded: 'the volume was made again since the last sync' })
    await writeFile(path, 'not json')
    expect((await loadManifest(path, 'id1')).discarded).toContain('is not a manifest envctl wrote; every file is compared again')
  })
})
