import { resolve } from 'node:path'
import { BaseCommand } from './base-command.js'
import type { UpResult } from '../environment/up/up.js'
import { envNameArg, engineFor, targetEnv } from './env-args.js'
import { openFlag, openOrSay, portFlag } from './notebook-flags.js'
import { stateDir } from './state-dir.js'

export default class Notebook extends BaseCommand {
  static override summary = "Start JupyterLab in the project's environment and print its URL: envctl up --notebook."
  static override description = `Builds and starts the environment if needed, with JupyterLab as its main process in /workspace, running as you, on 127.0.0.1 only (port 8888, or the next free one), behind a new random token kept in $XDG_STATE_HOME/envctl/notebooks (mode 0600). An environment created without the notebook is recreated to publish its port; the workspace is a bind mount, so nothing in it is lost. Needs a Python stack.`

  static override examples = [
    { description: 'The project here', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'An existing environment, on another port, opened in the browser', command: '<%= config.bin %> <%= command.id %> myproject --port 8890 --open' },
  ]

  static override args = { name: envNameArg }
  static override flags = { port: portFlag, open: openFlag }

  async run(): Promise<UpResult> {
    const { args, flags } = await this.parse(Notebook)
    const [{ runUp }, { upTargetOf }, { isProjectDir }] = await Promise.all([import('./run-up.js'), import('../notebook/target.js'), import('../environment/target.js')])
    const cwd = process.cwd()
    const target = args.name ? await upTargetOf(await engineFor(flags), await targetEnv(args.name), isProjectDir) : { cwd, workspace: resolve(cwd) }
    const result = await runUp(this, undefined, { ...flags, gpus: 'auto' }, { ...target, notebook: { enabled: true, port: flags.port, stateDir: stateDir() } })
    this.log(result.notebook?.url ?? '')
    if (flags.open && result.notebook) await openOrSay(result.notebook.url, this.config.platform, (l) => this.note(l))
    return result
  }
}
