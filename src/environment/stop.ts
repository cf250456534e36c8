import type { ContainerStatus, Engine } from '../engine/engine.js'
import { requireEnv } from './find.js'

export interface StopResult {
  name: string
  container: string
  /** False when it was already stopped: stopping is idempotent. */
  wasRunning: boolean
  status: ContainerStatus
}

/** Stops the environment and keeps its container, so `envctl up` starts the same one again. */
export async function stopEnv(engine: Engine, env: string): Promise<StopResult> {
  const c = await requireEnv(engine, env)
  const wasRunning = c.status === 'running' || c.status === 'restarting' || c.status === 'paused'
  if (wasRunning) await engine.stopContainer(c.id)
  const { status } = await engine.inspectContainer(c.id)
  return { name: env, container: c.name, wasRunning, status }
}
