import type { ContainerSummary, Engine } from '../engine/engine.js'
import { sha256 } from '../lock/canonical.js'
import { acquireLock, envLockName } from './env-lock.js'
import { envLabelName, requireEnv, type EnvTarget } from './target.js'
import { LABEL } from './naming.js'
import { planVolumeRemoval, type Kept } from './volume-plan.js'
import { cacheVolumeNames, removeVolumes, volumeUsers } from './volume-users.js'
import { removeTokenFile, tokenFilePath } from '../notebook/token-file.js'
import { removeServices, type ServicesRemoved } from '../env-services/remove.js'
import { findWorkspaceVolume } from '../workspace-sync/volume.js'
import { removeSecrets, secretsFilePath } from '../env-services/secret-store.js'

export interface DownInput {
  env: EnvTarget
  /** Where environment locks live: down waits for an `up` of the same environment to finish. */
  lockDir: string
  signal?: AbortSignal
  /** Also remove the cache volumes it used that no other environment uses. */
  volumes?: boolean
  /** The user's state folder, where `up --notebook` left the token file and up its service passwords; without it, no file is touched. */
  stateDir?: string
}

export interface DownResult {
  name: string
  container: string
  /** Never touched: the files are yours. */
  workspace: string | null
  /** Kept: `envctl prune` removes images no container uses. */
  image: string
  volumes: { removed: string[]; kept: Kept[] }
  /** The notebook token file removed with the container, or null when there was none. */
  tokenFile: string | null
  /** Its services (src/env-services): containers and network removed, data volumes removed only with --volumes. */
  services: ServicesRemoved
  /** The volume its workspace was uploaded into on a remote engine (src/workspace-sync): removed only with --volumes. */
  workspaceVolume: { name: string; removed: boolean } | null
  /** The generated service passwords removed with the data they open (--volumes), or null. */
  secretsFile: string | null
}

/** The envctl cache volumes this container mounts. */
async function cachesOf(engine: Engine, id: string): Promise<string[]> {
  const caches = new Set(await cacheVolumeNames(engine))
  const { mounts } = await engine.inspectContainer(id)
  return mounts.filter((m) => m.type === 'volume' && caches.has(m.source)).map((m) => m.source)
}

/** Removes the environment's container (running or not); its workspace and image stay, its caches stay unless asked. */
export async function downEnv(engine: Engine, input: DownInput): Promise<DownResult> {
  const first = await requireEnv(engine, input.env)
  const held = await acquireLock(input.lockDir, envLockName(lockKeyOf(first)), { uid: Number(first.labels[LABEL.uid] ?? -1), command: 'down', env: first.name }, { signal: input.signal })
  try {
    return await removeEnv(engine, input, await requireEnv(engine, input.env))
  } finally {
    await held.release()
  }
}

/** An environment's lock key: its identity, or for one an earlier envctl made, its container name. */
function lockKeyOf(c: ContainerSummary): string {
  return c.labels[LABEL.envKey] ?? sha256(`container\0${c.name}`)
}

async function removeEnv(engine: Engine, input: DownInput, c: ContainerSummary): Promise<DownResult> {
  const caches = await cachesOf(engine, c.id)
  const users = input.volumes ? await volumeUsers(engine, c.id) : new Map<string, string[]>()
  const plan = planVolumeRemoval(caches, users, Boolean(input.volumes))
  await engine.removeContainer(c.id, { force: true })
  const done = await removeVolumes(engine, plan.remove)
  const key = c.labels[LABEL.envKey]
  const services = key ? await removeServices(engine, key, { volumes: Boolean(input.volumes) }) : { containers: [], volumes: [], keptVolumes: [] }
  const workspaceVolume = key ? await settleWorkspaceVolume(engine, key, Boolean(input.volumes)) : null
  // Keyed by the container name, which is unique per environment (two clones share a project name).
  const tokenFile = input.stateDir ? tokenFilePath(input.stateDir, c.name) : null
  const removedToken = tokenFile !== null && (await removeTokenFile(tokenFile))
  // The passwords go with the data volumes they open, and stay while those stay.
  const secretsFile = input.stateDir && input.volumes ? secretsFilePath(input.stateDir, c.name) : null
  const removedSecrets = secretsFile !== null && (await removeSecrets(secretsFile))
  return {
    name: envLabelName(c),
    container: c.name,
    workspace: c.labels[LABEL.workspace] ?? null,
    image: c.image,
    volumes: { removed: done.removed, kept: [...plan.kept, ...done.kept] },
    tokenFile: removedToken ? tokenFile : null,
    services,
    workspaceVolume,
    secretsFile: removedSecrets ? secretsFile : null,
  }
}

/** Like a service's data: the uploaded workspace (and what was made in it) stays for the next up unless asked. */
async function settleWorkspaceVolume(engine: Engine, key: string, remove: boolean): Promise<DownResult['workspaceVolume']> {
  const found = await findWorkspaceVolume(engine, key)
  if (!found) return null
  if (remove) await engine.removeVolume(found.name, { force: true })
  return { name: found.name, removed: remove }
}
