import type { Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { LABEL } from '../environment/naming.js'
import { requireRunning } from '../environment/running.js'
import { envLabelName, type EnvTarget } from '../environment/target.js'
import { readToken } from './read-token.js'
import { NOTEBOOK_PORT } from './server-config.js'
import { notebookUrl } from './url.js'

export interface UrlResult {
  name: string
  url: string
  port: number
  containerId: string
}

/** The running notebook's URL, token included, read from the container itself (no local state to drift). */
export async function envNotebookUrl(engine: Engine, target: EnvTarget): Promise<UrlResult> {
  const c = await requireRunning(engine, target)
  const env = envLabelName(c)
  if (!c.labels[LABEL.notebookPort]) {
    throw new EnvctlError('NOT_FOUND', `environment ${env} runs no notebook`, { hint: `start one with envctl notebook ${env} (the container is recreated; the workspace is kept)` })
  }
  const token = await readToken(engine, c.id)
  const port = c.ports.find((p) => p.containerPort === NOTEBOOK_PORT)?.hostPort
  if (!token || !port) throw new EnvctlError('NOTEBOOK_FAILED', `environment ${env} has lost its notebook ${token ? 'port' : 'config'}`, { hint: `recreate it: envctl down ${env} && envctl notebook` })
  return { name: env, url: notebookUrl(port, token), port, containerId: c.id }
}
