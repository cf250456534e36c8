import { randomBytes } from 'node:crypto'
import type { Engine, VolumeSummary } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { EnvIdentity } from '../environment/identity.js'
import { LABEL } from '../environment/naming.js'

export const WORKSPACE_DIR = '/workspace'

/** The volume that holds an environment's workspace on a remote engine: one per environment. */
export function workspaceVolumeName(id: Pick<EnvIdentity, 'container'>): string {
  return `${id.container}-workspace`
}

/** Labelled like the environment's services' data: whose it is, so `down` finds it. */
export function workspaceVolumeLabels(id: Pick<EnvIdentity, 'key' | 'name' | 'uid'>, volumeId: string): Record<string, string> {
  return { [LABEL.managed]: '1', [LABEL.workspaceOf]: id.key, [LABEL.workspaceId]: volumeId, [LABEL.serviceEnv]: id.name, [LABEL.uid]: String(id.uid) }
}

/**
 * Which volume a manifest describes. Not its CreatedAt: the local driver reports the mtime of the volume's
 * folder there, which moves as files are written.
 */
export function workspaceVolumeId(v: VolumeSummary): string {
  return v.labels[LABEL.workspaceId] ?? ''
}

export async function findWorkspaceVolume(engine: Engine, envKey: string): Promise<VolumeSummary | undefined> {
  return (await engine.listVolumes({ labels: { [LABEL.workspaceOf]: envKey } }))[0]
}

/** The environment's workspace volume, made when missing; `created` says which. */
export async function ensureWorkspaceVolume(engine: Engine, id: EnvIdentity): Promise<{ volume: VolumeSummary; created: boolean }> {
  const found = await findWorkspaceVolume(engine, id.key)
  if (found) return { volume: found, created: false }
  await engine.createVolume({ name: workspaceVolumeName(id), labels: workspaceVolumeLabels(id, randomBytes(8).toString('hex')) })
  const made = await findWorkspaceVolume(engine, id.key)
  if (!made) throw new EnvctlError('UNEXPECTED', `the engine at ${engine.host} made volume ${workspaceVolumeName(id)} but does not list it`)
  return { volume: made, created: true }
}

/** Seconds a helper lives at most: one left behind by a killed envctl removes itself. */
const HELPER_LIFETIME_S = 3600

/**
 * A short-lived container with the volume at /workspace, for what the Engine API cannot do on a volume alone
 * (list it, remove files in it, put an archive into it). It runs `image` (the environment's, which is on the
 * engine) as root, on no network, and is removed when `fn` is done.
 */
export async function withHelper<T>(engine: Engine, o: { image: string; volume: string; envKey: string }, fn: (id: string) => Promise<T>): Promise<T> {
  const id = await engine.createContainer({
    image: o.image,
    entrypoint: ['sleep'],
    cmd: [String(HELPER_LIFETIME_S)],
    user: '0:0',
    networkMode: 'none',
    labels: { [LABEL.workspaceHelper]: o.envKey },
    mounts: [{ type: 'volume', source: o.volume, target: WORKSPACE_DIR }],
    autoRemove: true,
  })
  try {
    await engine.startContainer(id)
    return await fn(id)
  } finally {
    await engine.removeContainer(id, { force: true })
  }
}
