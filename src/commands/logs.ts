import { Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import type { LogsResult } from '../environment/logs.js'
import { capture } from '../ui/capture.js'
import { envNameArg, engineFor, targetEnv } from './env-args.js'

export type LogsJson = LogsResult & { stdout?: string; stderr?: string }

export default class Logs extends BaseCommand {
  static override summary = "Show the environment's output."
  static override description = `The output of the environment's main process, running or stopped, on stdout and stderr as it was written. With --follow it keeps streaming until the environment stops or you press Ctrl-C.`

  static override examples = [
    { description: 'Everything so far', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'The database service beside it', command: '<%= config.bin %> <%= command.id %> --service db --tail 20' },
    { description: 'The last 50 lines, then follow', command: '<%= config.bin %> <%= command.id %> myproject --tail 50 -f' },
  ]

  static override args = { name: envNameArg }
  static override flags = {
    follow: Flags.boolean({ char: 'f', summary: 'Keep streaming new output.', exclusive: ['json'] }),
    tail: Flags.integer({ char: 'n', summary: 'Only the last N lines.', min: 0 }),
    service: Flags.string({ char: 's', summary: "A service's output ([services.NAME] in the stack file) instead of the environment's." }),
  }

  async run(): Promise<LogsJson> {
    const { args, flags } = await this.parse(Logs)
    const { envLogs } = await import('../environment/logs.js')
    const engine = await engineFor(flags)
    const env = await targetEnv(args.name)
    const out = this.jsonEnabled() ? capture() : undefined
    const stop = new AbortController()
    const onSigint = () => stop.abort()
    process.once('SIGINT', onSigint)
    try {
      const result = await envLogs(engine, { env, service: flags.service, follow: flags.follow, tail: flags.tail, stdout: out?.stdout ?? process.stdout, stderr: out?.stderr ?? process.stderr, signal: stop.signal })
      return out ? { ...result, ...out.text() } : result
    } finally {
      process.removeListener('SIGINT', onSigint)
    }
  }
}
