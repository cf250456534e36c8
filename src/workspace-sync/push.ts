import type { Engine, VolumeSummary } from '../engine/engine.js'
import { planPush, type Manifest } from './manifest.js'
import { loadManifest, manifestPath, saveManifest } from './manifest-store.js'
import { ownRoot, removeFiles, uploadFiles } from './remote-files.js'
import { hashFiles, scanWorkspace } from './scan.js'
import { withHelper, workspaceVolumeId } from './volume.js'

export interface SyncInput {
  /** The environment's identity key (labels of the helper). */
  envKey: string
  /** The local workspace folder. */
  workspace: string
  /** `[workspace] exclude` of the stack file. */
  exclude: readonly string[]
  /** An image on the engine to run the helper from (the environment's). */
  image: string
  uid: number
  gid: number
  stateDir: string
}

export interface PushResult {
  volume: string
  engine: string
  /** The volume was made by this run. */
  created: boolean
  /** Files (and links) sent, and their bytes. */
  uploaded: number
  uploadedBytes: number
  removed: number
  unchanged: number
  /** The workspace as uploaded: every file not ignored, and its bytes. */
  files: number
  bytes: number
  /** Entries that cannot be uploaded (sockets, fifos, long link targets). */
  skipped: string[]
  notes: string[]
}

/**
 * Brings the volume up to date with the local folder: only files whose content or mode changed since the last
 * sync are sent, and files deleted here are deleted there. Files made in the volume are left alone.
 */
export async function pushWorkspace(engine: Engine, input: SyncInput, target: { volume: VolumeSummary; created: boolean }): Promise<PushResult> {
  const { volume, created } = target
  const store = manifestPath(input.stateDir, engine.host, volume.name)
  const { manifest: base, discarded } = await loadManifest(store, workspaceVolumeId(volume))
  const scan = await scanWorkspace(input.workspace, input.exclude)
  await hashFiles(input.workspace, scan.files, base.files)
  const plan = planPush(scan.files, base.files)
  let uploadedBytes = 0
  if (created || plan.upload.length || plan.remove.length) {
    uploadedBytes = await withHelper(engine, { image: input.image, volume: volume.name, envKey: input.envKey }, async (helper) => {
      if (created) await ownRoot(engine, helper, input.uid, input.gid)
      await removeFiles(engine, helper, plan.remove)
      return uploadFiles(engine, helper, input.workspace, scan.files, plan.upload, { uid: input.uid, gid: input.gid })
    })
  }
  const next: Manifest = { volumeId: base.volumeId, files: plan.next }
  await saveManifest(store, next)
  return {
    volume: volume.name,
    engine: engine.host,
    created,
    uploaded: plan.upload.length,
    uploadedBytes,
    removed: plan.remove.length,
    unchanged: plan.unchanged,
    files: Object.keys(scan.files).length,
    bytes: Object.values(scan.files).reduce((n, f) => n + f.size, 0),
    skipped: scan.skipped,
    notes: discarded ? [`workspace manifest: ${discarded}`] : [],
  }
}
