import type { ContainerSummary, Engine } from '../engine/engine.js'
import { envLabelName, type EnvTarget } from './target.js'
import { WORKDIR, type Attach } from './attach.js'
import { requireRunning } from './running.js'
import { withEnvFile } from './container/env-file.js'

export interface ExecInput extends Attach {
  /** The environment: a NAME, or the folder the command runs in. */
  env: EnvTarget
  cmd: string[]
}

export interface ExecResult {
  name: string
  container: string
  command: string[]
  exitCode: number
}

/** Runs one command in the running environment, in /workspace, and reports its exit code. */
export async function execInEnv(engine: Engine, input: ExecInput): Promise<ExecResult> {
  return execIn(engine, await requireRunning(engine, input.env), input)
}

/** Runs one command in an environment already found running (requireRunning). */
export async function execIn(engine: Engine, c: ContainerSummary, input: Omit<ExecInput, 'env'>): Promise<ExecResult> {
  const { cmd, user, tty, vars, stdin, stdout, stderr } = input
  const exitCode = await engine.exec(c.id, { cmd: withEnvFile(cmd), user, workdir: WORKDIR, tty, env: vars, stdin, stdout, stderr })
  return { name: envLabelName(c), container: c.name, command: cmd, exitCode }
}
