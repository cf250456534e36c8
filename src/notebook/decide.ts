import { pickFreePort, type PortProbe } from './ports.js'
import { NOTEBOOK_PORT } from './server-config.js'

/** What the user asked for: `enabled` undefined keeps what the stack file or the existing container says. */
export interface NotebookWish {
  enabled?: boolean
  /** --port: a port asked for on this run, which moves an existing notebook. */
  port?: number
}

/** The environment's current container, as far as the notebook is concerned. */
export interface ExistingEnv {
  /** Host port from the dev.envctl.notebook.port label; null when it was created without the notebook. */
  notebookPort: number | null
  running: boolean
}

export interface PortDecision {
  /** Host port for the notebook, null when the environment runs none. */
  port: number | null
  /** Why the existing container must be replaced (a published port is fixed at creation), or null. */
  recreate: string | null
  notes: string[]
}

const KEPT = 'the workspace is a bind mount, so nothing in it is lost'

/**
 * Which host port the notebook gets and whether the container has to be recreated for it. The port a
 * running environment already publishes counts as free for itself. Pure apart from the probe.
 */
export async function decidePort(wish: NotebookWish, stack: { enabled: boolean; port: number | null }, existing: ExistingEnv | null, isFree: PortProbe): Promise<PortDecision> {
  const had = existing?.notebookPort ?? null
  const enabled = wish.enabled ?? (wish.port !== undefined || stack.enabled || had !== null)
  if (!enabled) return { port: null, recreate: had === null ? null : `container recreated without the notebook (${KEPT})`, notes: [] }
  const wanted = wish.port ?? had ?? stack.port ?? NOTEBOOK_PORT
  const port = await pickFreePort(wanted, async (p) => (existing?.running === true && p === had) || isFree(p))
  const notes = port === wanted ? [] : [`port ${wanted} is taken: the notebook uses ${port} instead`]
  if (!existing || had === port) return { port, recreate: null, notes }
  const recreate = had === null ? `container recreated to publish the notebook port (${KEPT})` : `container recreated to move the notebook from port ${had} to ${port} (${KEPT})`
  return { port, recreate, notes }
}
