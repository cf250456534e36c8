import { mkdir, rm, utimes } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { Engine, VolumeSummary } from '../engine/engine.js'
import { writeFileAtomic } from '../files/atomic-write.js'
import { decideFetched, decideGone, pullCandidates, type FileMap, type LocalFile, type SyncedFile } from './manifest.js'
import { loadManifest, manifestPath, saveManifest } from './manifest-store.js'
import { fetchFile, listVolume } from './remote-files.js'
import { hashFiles, scanWorkspace, sha256 } from './scan.js'
import { withHelper, workspaceVolumeId } from './volume.js'
import type { SyncInput } from './push.js'

export interface PullResult {
  volume: string
  engine: string
  /** Files written here from the volume. */
  written: string[]
  /** Files deleted here because they were deleted there (and were unchanged here). */
  deleted: string[]
  /** Changed both here and there since the last sync: the local file is kept. */
  conflicts: string[]
  unchanged: number
}

/**
 * Brings changed files from the volume into the local folder. Ignored paths are never written or deleted;
 * a file changed here since the last sync is never overwritten or deleted (it is reported as a conflict).
 */
export async function pullWorkspace(engine: Engine, input: SyncInput, volume: VolumeSummary): Promise<PullResult> {
  const store = manifestPath(input.stateDir, engine.host, volume.name)
  const { manifest } = await loadManifest(store, workspaceVolumeId(volume))
  const base = manifest.files
  const scan = await scanWorkspace(input.workspace, input.exclude)
  const result: PullResult = { volume: volume.name, engine: engine.host, written: [], deleted: [], conflicts: [], unchanged: 0 }
  await withHelper(engine, { image: input.image, volume: volume.name, envKey: input.envKey }, async (helper) => {
    const listing = await listVolume(engine, helper)
    const { fetch, gone } = pullCandidates(listing.files, base, (p) => scan.rules.ignored(p, false))
    // A file synced before that is now a link there is not gone.
    const goneForReal = gone.filter((p) => !listing.others.has(p))
    await hashFiles(input.workspace, scan.files, base, [...fetch, ...goneForReal])
    result.unchanged = Object.keys(listing.files).length - fetch.length
    for (const path of fetch) {
      const content = await fetchFile(engine, helper, path)
      const remote = listing.files[path]!
      const hash = sha256(content)
      const verdict = decideFetched(hash, scan.files[path], base[path])
      if (verdict === 'conflict') {
        result.conflicts.push(path)
        continue
      }
      // A written file gets the volume's mtime and mode; one that was already the same keeps its own.
      const kept = verdict === 'same' ? scan.files[path] : undefined
      if (verdict === 'write') await writeLocal(input.workspace, path, content, remote.mtime, remote.mode)
      base[path] = { size: content.length, mtime: kept?.mtime ?? remote.mtime, mode: kept?.mode ?? remote.mode, hash, remoteMtime: remote.mtime }
      if (verdict === 'write') result.written.push(path)
    }
    for (const path of goneForReal) await settleGone(input.workspace, path, scan.files[path], base, result)
  })
  await saveManifest(store, manifest)
  return result
}

async function writeLocal(root: string, path: string, content: Buffer, mtime: number, mode: number): Promise<void> {
  const abs = join(root, path)
  await mkdir(dirname(abs), { recursive: true })
  await writeFileAtomic(abs, content, mode)
  await utimes(abs, mtime, mtime)
}

async function settleGone(root: string, path: string, local: LocalFile | undefined, base: FileMap<SyncedFile>, result: PullResult): Promise<void> {
  const verdict = decideGone(local, base[path]!)
  if (verdict === 'conflict') return void result.conflicts.push(path)
  if (verdict === 'delete') {
    await rm(join(root, path), { force: true })
    result.deleted.push(path)
  }
  delete base[path]
}
