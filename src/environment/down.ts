import type { Engine } from '../engine/engine.js'
import { requireEnv } from './find.js'
import { LABEL } from './naming.js'
import { planVolumeRemoval, type Kept } from './volume-plan.js'
import { cacheVolumeNames, removeVolumes, volumeUsers } from './volume-users.js'
import { removeTokenFile, tokenFilePath } from '../notebook/token-file.js'

export interface DownInput {
  env: string
  /** Also remove the cache volumes it used that no other environment uses. */
  volumes?: boolean
  /** The user's state folder, where `up --notebook` left the token file; without it, no file is touched. */
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
}

/** The envctl cache volumes this container mounts. */
async function cachesOf(engine: Engine, id: string): Promise<string[]> {
  const caches = new Set(await cacheVolumeNames(engine))
  const { mounts } = await engine.inspectContainer(id)
  return mounts.filter((m) => m.type === 'volume' && caches.has(m.source)).map((m) => m.source)
}

/** Removes the environment's container (running or not); its workspace and image stay, its caches stay unless asked. */
export async function downEnv(engine: Engine, input: DownInput): Promise<DownResult> {
  const c = await requireEnv(engine, input.env)
  const caches = await cachesOf(engine, c.id)
  const users = input.volumes ? await volumeUsers(engine, c.id) : new Map<string, string[]>()
  const plan = planVolumeRemoval(caches, users, Boolean(input.volumes))
  await engine.removeContainer(c.id, { force: true })
  const done = await removeVolumes(engine, plan.remove)
  const tokenFile = input.stateDir ? tokenFilePath(input.stateDir, input.env) : null
  const removedToken = tokenFile !== null && (await removeTokenFile(tokenFile))
  return {
    name: input.env,
    container: c.name,
    workspace: c.labels[LABEL.workspace] ?? null,
    image: c.image,
    volumes: { removed: done.removed, kept: [...plan.kept, ...done.kept] },
    tokenFile: removedToken ? tokenFile : null,
  }
}
