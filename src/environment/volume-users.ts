import type { Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { Kept } from './volume-plan.js'
import { LABEL } from './naming.js'

/** envctl's cache volumes (by label, never by name). */
export async function cacheVolumeNames(engine: Engine): Promise<string[]> {
  const volumes = await engine.listVolumes({ labels: { [LABEL.managed]: '1', [LABEL.cache]: true } })
  return volumes.map((v) => v.name)
}

/** Volume name → names of the envctl containers (running or stopped) that mount it, except `exceptId`. */
export async function volumeUsers(engine: Engine, exceptId?: string): Promise<Map<string, string[]>> {
  const containers = await engine.listContainers({ labels: { [LABEL.managed]: '1' }, all: true })
  const users = new Map<string, string[]>()
  for (const c of containers.filter((c) => c.id !== exceptId)) {
    const info = await engine.inspectContainer(c.id)
    for (const m of info.mounts.filter((m) => m.type === 'volume')) users.set(m.source, [...(users.get(m.source) ?? []), c.name])
  }
  return users
}

/**
 * Removes each volume; one the engine refuses (a container outside envctl mounts it) is kept and reported,
 * and the rest still go. Losing the engine is not a refusal: that error propagates.
 */
export async function removeVolumes(engine: Engine, names: readonly string[]): Promise<{ removed: string[]; kept: Kept[] }> {
  const removed: string[] = []
  const kept: Kept[] = []
  for (const name of names) {
    try {
      await engine.removeVolume(name)
      removed.push(name)
    } catch (err) {
      if (err instanceof EnvctlError) throw err
      kept.push({ name, reason: `the engine refused: ${(err as Error).message}` })
    }
  }
  return { removed, kept }
}
