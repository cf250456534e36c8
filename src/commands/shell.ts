import { BaseCommand } from './base-command.js'
import type { ShellResult } from '../environment/shell.js'
import { capture } from '../ui/capture.js'
import { withRawMode, terminalEnv } from '../ui/raw-terminal.js'
import { envNameArg, engineFor, targetEnv, userFlag } from './env-args.js'

export type ShellJson = ShellResult & { stdout?: string; stderr?: string }

export default class Shell extends BaseCommand {
  static override summary = 'Open a shell in the running environment, in /workspace, as your user.'
  static override description = `bash when the image has it, else sh. On a terminal the shell gets a TTY and your terminal is in raw mode until it exits; with piped stdin it reads commands from there. envctl exits with the shell's exit code. The environment must be running: envctl up starts it.`

  static override examples = [
    { description: 'The project here', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'A named environment, as root', command: '<%= config.bin %> <%= command.id %> myproject --user root' },
    { description: 'Scripted', command: "echo 'python -V' | <%= config.bin %> <%= command.id %>" },
  ]

  static override args = { name: envNameArg }
  static override flags = { user: userFlag }

  async run(): Promise<ShellJson> {
    const { args, flags } = await this.parse(Shell)
    const { openShell } = await import('../environment/shell.js')
    const engine = await engineFor(flags)
    const env = await targetEnv(args.name)
    const tty = process.stdin.isTTY === true && process.stdout.isTTY === true && !this.jsonEnabled()
    const out = this.jsonEnabled() ? capture() : undefined
    const attach = {
      user: flags.user,
      tty,
      vars: tty ? terminalEnv(process.env, process.stdout) : undefined,
      stdin: process.stdin,
      stdout: out?.stdout ?? process.stdout,
      stderr: out?.stderr ?? process.stderr,
    }
    const result = await withRawMode(process.stdin, tty, () => openShell(engine, { env, ...attach }))
    process.exitCode = result.exitCode
    return out ? { ...result, ...out.text() } : result
  }
}
