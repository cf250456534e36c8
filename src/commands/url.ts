import { BaseCommand } from './base-command.js'
import type { UrlResult } from '../notebook/show-url.js'
import { envNameArg, engineFor, targetEnv } from './env-args.js'
import { openFlag, openOrSay } from './notebook-flags.js'

export default class Url extends BaseCommand {
  static override summary = "Print the environment's notebook URL, token included."
  static override description = `The URL of the JupyterLab that envctl up --notebook (or envctl notebook) started, read from the running container: http://127.0.0.1:PORT/lab?token=TOKEN. Treat it as a password. With --open it is handed to your browser.`

  static override examples = [
    { description: 'The project here', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'A named environment, in the browser', command: '<%= config.bin %> <%= command.id %> myproject --open' },
  ]

  static override args = { name: envNameArg }
  static override flags = { open: openFlag }

  async run(): Promise<UrlResult & { opened?: boolean }> {
    const { args, flags } = await this.parse(Url)
    const { envNotebookUrl } = await import('../notebook/show-url.js')
    const result = await envNotebookUrl(await engineFor(flags), await targetEnv(args.name))
    this.log(result.url)
    if (!flags.open) return result
    return { ...result, opened: await openOrSay(result.url, this.config.platform, (l) => this.note(l)) }
  }
}
