import type { ContainerSummary, Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { envLabelName, requireEnv, type EnvTarget } from './target.js'
import { LABEL } from './naming.js'

/** The environment's container, which must be running: exec and shell never start one behind your back. */
export async function requireRunning(engine: Engine, target: EnvTarget): Promise<ContainerSummary> {
  const c = await requireEnv(engine, target)
  if (c.status === 'running') return c
  const ws = c.labels[LABEL.workspace]
  throw new EnvctlError('START_FAILED', `environment ${envLabelName(c)} is not running (${c.status})`, {
    hint: ws ? `start it with \`envctl up\` in ${ws}` : 'start it with `envctl up`',
  })
}
