import type { ContainerSummary, Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { requireEnv } from './find.js'
import { LABEL } from './naming.js'

/** The environment's container, which must be running: exec and shell never start one behind your back. */
export async function requireRunning(engine: Engine, env: string): Promise<ContainerSummary> {
  const c = await requireEnv(engine, env)
  if (c.status === 'running') return c
  const ws = c.labels[LABEL.workspace]
  throw new EnvctlError('START_FAILED', `environment ${env} is not running (${c.status})`, {
    hint: ws ? `start it with \`envctl up\` in ${ws}` : 'start it with `envctl up`',
  })
}
