import type { ContainerStatus, Engine } from '../engine/engine.js'
import { envLabelName, requireEnv, type EnvTarget } from './target.js'
import { LABEL } from './naming.js'
import { stopServices } from '../env-services/stop.js'

export interface StopResult {
  name: string
  container: string
  /** False when it was already stopped: stopping is idempotent. */
  wasRunning: boolean
  status: ContainerStatus
  /** Its services that were running and are stopped now (docs/SERVICES.md); `envctl up` starts them again. */
  services: string[]
}

/** Stops the environment and keeps its container, so `envctl up` starts the same one again. */
export async function stopEnv(engine: Engine, target: EnvTarget): Promise<StopResult> {
  const c = await requireEnv(engine, target)
  const wasRunning = c.status === 'running' || c.status === 'restarting' || c.status === 'paused'
  if (wasRunning) await engine.stopContainer(c.id)
  const { status } = await engine.inspectContainer(c.id)
  const key = c.labels[LABEL.envKey]
  const services = key ? await stopServices(engine, key) : []
  return { name: envLabelName(c), container: c.name, wasRunning, status, services }
}
