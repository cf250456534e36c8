import { BaseCommand } from './base-command.js'
import type { UrlResult } from '../notebook/show-url.js'
import type { TunnelView } from '../environment/tunnel/tunnel-url.js'
import { stateDir } from './state-dir.js'
import { envNameArg, engineFor, targetEnv } from './env-args.js'
import { openFlag, openOrSay } from './notebook-flags.js'

export default class Url extends BaseCommand {
  static override summary = "Print the environment's notebook URL, token included."
  static override description = `The URL of the JupyterLab that envctl up --notebook (or envctl notebook) started, read from the running container: http://127.0.0.1:PORT/lab?token=TOKEN. Treat it as a password. With --open it is handed to your browser. On a remote engine it says whether a tunnel brings the port here (envctl forward), and gives the port here when one runs.`

  static override examples = [
    { description: 'The project here', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'A named environment, in the browser', command: '<%= config.bin %> <%= command.id %> myproject --open' },
  ]

  static override args = { name: envNameArg }
  static override flags = { open: openFlag }

  async run(): Promise<UrlResult & { tunnel?: TunnelView; opened?: boolean }> {
    const { args, flags } = await this.parse(Url)
    const [{ envNotebookUrl }, { viaTunnel }] = await Promise.all([import('../notebook/show-url.js'), import('../environment/tunnel/tunnel-url.js')])
    const engine = await engineFor(flags)
    const result = viaTunnel(engine, await envNotebookUrl(engine, await targetEnv(args.name)), stateDir())
    if (result.tunnel) this.note(result.tunnel.note)
    this.log(result.url)
    if (!flags.open) return result
    return { ...result, opened: await openOrSay(result.url, this.config.platform, (l) => this.note(l)) }
  }
}
