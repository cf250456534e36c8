// A changed environment is replaced as a transaction: the new container is created and started under a
// transient name and checked; only then is the old one removed and the name taken over. Until that moment
// every failure (a taken port, a failing start, a notebook that never answers, Ctrl-C) removes the new one
// and leaves the old one as it was.
import { randomBytes } from 'node:crypto'
import type { ContainerSpec, ContainerSummary, Engine } from '../../engine/engine.js'
import { TRANSIENT_SUFFIX } from '../find.js'

export interface Replacement {
  /** What the new container is created with. */
  spec: ContainerSpec
  /** The container being replaced (running or not), or null when there was none. */
  old: ContainerSummary | null
  /** The old container was stopped to free host ports the new one needs; it is started again on failure. */
  stoppedOld: boolean
  /** The new container, under its transient name until commit. */
  createdId: string | null
  committed: boolean
}

export function transientName(container: string): string {
  return `${container}${TRANSIENT_SUFFIX}${randomBytes(4).toString('hex')}`
}

/** Fixed host ports the new container publishes that the running old one holds: those must be freed first. */
export function portsHeld(old: ContainerSummary | null, spec: ContainerSpec): number[] {
  if (!old || old.status !== 'running') return []
  const held = new Set(old.ports.map((p) => `${p.hostIp}:${p.hostPort}/${p.protocol}`))
  return (spec.ports ?? []).filter((p) => p.hostPort && held.has(`${p.hostIp ?? '127.0.0.1'}:${p.hostPort}/${p.protocol ?? 'tcp'}`)).map((p) => p.hostPort!)
}

/** The new container takes over: the old one goes, the name moves. */
export async function commit(engine: Engine, r: Replacement, name: string): Promise<void> {
  if (!r.createdId) return
  if (r.old) await engine.removeContainer(r.old.id, { force: true })
  await engine.renameContainer(r.createdId, name)
  r.committed = true
}

/** Undoes an uncommitted replacement; returns what could not be undone, for the user. */
export async function rollback(engine: Engine, r: Replacement): Promise<string[]> {
  if (r.committed) return []
  const problems: string[] = []
  if (r.createdId) {
    await engine.removeContainer(r.createdId, { force: true }).catch((e: Error) => problems.push(`could not remove the half-made container ${r.createdId!.slice(0, 12)}: ${e.message}`))
  }
  if (r.old && r.stoppedOld) {
    await engine.startContainer(r.old.id).catch((e: Error) => problems.push(`could not start the previous container ${r.old!.name} again: ${e.message} (envctl up retries)`))
  }
  return problems
}
