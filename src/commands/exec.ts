import { Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import type { ExecResult } from '../environment/exec.js'
import { capture } from '../ui/capture.js'
import { withRawMode, terminalEnv } from '../ui/raw-terminal.js'
import { envNameArg, withEngine, targetEnv, userFlag } from './env-args.js'
import { splitAtDoubleDash } from './split-argv.js'

export type ExecJson = ExecResult & { stdout?: string; stderr?: string }

export default class Exec extends BaseCommand {
  static override summary = 'Run a command in the running environment, in /workspace, as your user.'
  static override description = `Everything after -- is the command, passed as is (no shell: use sh -c for pipes). Its output streams to this terminal and envctl exits with its exit code. The environment must be running (envctl up). With --json, the output is collected into the result ({ exitCode, stdout, stderr }) instead.`

  static override examples = [
    { description: 'In the project here', command: '<%= config.bin %> <%= command.id %> -- python -V' },
    { description: 'In a named environment, through a shell', command: "<%= config.bin %> <%= command.id %> myproject -- sh -c 'pytest -q | tail -n 3'" },
    { description: 'Feed it stdin', command: '<%= config.bin %> <%= command.id %> -i -- python - < script.py' },
    { description: 'An interactive program', command: '<%= config.bin %> <%= command.id %> -it -- python' },
  ]

  static override usage = '<%= command.id %> [NAME] [-u USER] [-i] [-t] [--json] -- CMD [ARGS...]'
  static override strict = false
  static override args = { name: envNameArg }
  static override flags = {
    user: userFlag,
    interactive: Flags.boolean({ char: 'i', summary: 'Pass stdin to the command.' }),
    tty: Flags.boolean({ char: 't', summary: 'Give the command a terminal (raw mode while it runs).', exclusive: ['json'] }),
  }

  async run(): Promise<ExecJson> {
    const { own, command } = splitAtDoubleDash(this.argv)
    const { args, flags } = await this.parse(Exec, own)
    const [{ execIn }, { requireRunning }] = await Promise.all([import('../environment/exec.js'), import('../environment/running.js')])
    const env = await targetEnv(args.name)
    const [engine, container] = await withEngine(flags, async (e) => [e, await requireRunning(e, env)] as const)
    const out = this.jsonEnabled() ? capture() : undefined
    const attach = {
      user: flags.user,
      tty: flags.tty,
      vars: flags.tty ? terminalEnv(process.env, process.stdout) : undefined,
      stdin: flags.interactive ? process.stdin : undefined,
      stdout: out?.stdout ?? process.stdout,
      stderr: out?.stderr ?? process.stderr,
    }
    const result = await withRawMode(attach.stdin, flags.tty, () => execIn(engine, container, { cmd: command, ...attach }))
    process.exitCode = result.exitCode
    return out ? { ...result, ...out.text() } : result
  }
}
