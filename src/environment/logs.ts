import type { Writable } from 'node:stream'
import type { Engine } from '../engine/engine.js'
import { envLabelName, type EnvTarget } from './target.js'
import { requireEnv } from './target.js'

export interface LogsInput {
  env: EnvTarget
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

/** The environment's own output (its main process), running or stopped. */
export async function envLogs(engine: Engine, input: LogsInput): Promise<LogsResult> {
  const c = await requireEnv(engine, input.env)
  const { follow, stdout, stderr, signal } = input
  await engine.logs(c.id, { follow, tail: input.tail ?? 'all', stdout, stderr, signal })
  return { name: envLabelName(c), container: c.name }
}
