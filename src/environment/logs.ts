import type { Writable } from 'node:stream'
import type { Engine } from '../engine/engine.js'
import { envLabelName, type EnvTarget } from './target.js'
import { requireEnv } from './target.js'
import { LABEL } from './naming.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { ContainerSummary } from '../engine/engine.js'

export interface LogsInput {
  env: EnvTarget
  /** A service of the environment ([services.NAME]) instead of the environment itself. */
  service?: string
  follow?: boolean
  /** Lines from the end; omitted: all. */
  tail?: number
  stdout: Writable
  stderr: Writable
  /** Ends a follow. */
  signal?: AbortSignal
}

export interface LogsResult {
  name: string
  container: string
}

/** The container of one of the environment's services; NOT_FOUND names the services it has. */
async function serviceContainer(engine: Engine, env: ContainerSummary, service: string): Promise<ContainerSummary> {
  const all = await engine.listContainers({ labels: { [LABEL.serviceOf]: env.labels[LABEL.envKey] ?? '-' }, all: true })
  const found = all.find((c) => c.labels[LABEL.service] === service)
  if (found) return found
  const names = all.map((c) => c.labels[LABEL.service]).filter(Boolean).sort()
  throw new EnvctlError('NOT_FOUND', `${envLabelName(env)} has no service ${service}`, { hint: names.length ? `its services: ${names.join(', ')}` : 'it has no services: add [services.NAME] to the stack file and run envctl up' })
}

/** The environment's own output (its main process), or one of its services', running or stopped. */
export async function envLogs(engine: Engine, input: LogsInput): Promise<LogsResult> {
  const env = await requireEnv(engine, input.env)
  const c = input.service ? await serviceContainer(engine, env, input.service) : env
  const { follow, stdout, stderr, signal } = input
  await engine.logs(c.id, { follow, tail: input.tail ?? 'all', stdout, stderr, signal })
  return { name: envLabelName(env), container: c.name }
}
