import { Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import type { ForwardResult } from '../environment/tunnel/forward.js'
import { envNameArg, engineFor, targetEnv } from './env-args.js'
import { stateDir } from './state-dir.js'

export default class Forward extends BaseCommand {
  static override summary = "Forward the environment's ports and notebook from an ssh:// engine to 127.0.0.1 here, until Ctrl-C."
  static override description = `On an ssh:// engine the environment's published ports and its notebook listen on 127.0.0.1 of the engine's host. forward listens on 127.0.0.1 here (the same port numbers when they are free) and carries every connection through envctl's one SSH connection to that host. It stops on Ctrl-C, or when the environment stops. envctl up --notebook starts one in the background by itself; envctl url says whether one runs.`

  static override examples = [
    { description: 'The project here', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'A named environment on the team GPU box', command: 'DOCKER_HOST=ssh://me@gpu-box <%= config.bin %> <%= command.id %> myproject' },
  ]

  static override args = { name: envNameArg }
  static override flags = {
    background: Flags.boolean({ hidden: true, summary: 'Run as the detached forwarder envctl up starts (no terminal output).' }),
  }

  async run(): Promise<ForwardResult> {
    const { args, flags } = await this.parse(Forward)
    const { forwardEnv, show } = await import('../environment/tunnel/forward.js')
    const stop = new AbortController()
    const onStop = () => stop.abort()
    for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(s, onStop)
    const engine = await engineFor(flags)
    const result = await forwardEnv(engine, await targetEnv(args.name), {
      stateDir: stateDir(),
      signal: stop.signal,
      onReady: (t) => {
        if (!flags.background) this.note(`forwarding ${t.name} from ${engine.host} until Ctrl-C: ${t.mappings.map(show).join(', ')}`)
      },
    })
    if (!flags.background) this.note(`stopped (${result.stopped})`)
    return result
  }
}
