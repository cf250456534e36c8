import type { Engine } from '../engine/engine.js'
import { envLabelName, type EnvTarget } from './target.js'
import { WORKDIR, type Attach } from './attach.js'
import { requireRunning } from './running.js'
import { withEnvFile } from './container/env-file.js'

export interface ShellInput extends Attach {
  /** The environment: a NAME, or the folder the command runs in. */
  env: EnvTarget
}

export interface ShellResult {
  name: string
  container: string
  shell: string
  exitCode: number
}

/** bash when the image has it; every image has sh. Asked of the container, as the user the shell runs as. */
async function pickShell(engine: Engine, id: string, user?: string): Promise<string> {
  const code = await engine.exec(id, { cmd: ['test', '-x', '/bin/bash'], user })
  return code === 0 ? '/bin/bash' : '/bin/sh'
}

/** An interactive shell (or one reading commands from piped stdin) in /workspace; resolves when it exits. */
export async function openShell(engine: Engine, input: ShellInput): Promise<ShellResult> {
  const c = await requireRunning(engine, input.env)
  const shell = await pickShell(engine, c.id, input.user)
  const { user, tty, vars, stdin, stdout, stderr } = input
  const exitCode = await engine.exec(c.id, { cmd: withEnvFile([shell]), user, workdir: WORKDIR, tty, env: vars, stdin, stdout, stderr })
  return { name: envLabelName(c), container: c.name, shell, exitCode }
}
