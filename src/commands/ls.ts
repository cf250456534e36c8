import { Flags } from '@oclif/core'
import { BaseCommand } from '../base-command.js'
import type { EnvSummary } from '../services/ls.js'
import { engineFor } from './env-args.js'

export default class Ls extends BaseCommand {
  static override summary = "List envctl environments: this project's, or all of them."
  static override description = `Environments are found by their labels on the engine, never from a local state file. In a folder with envctl.toml, only that project's environments are listed (its own and any started with this folder as workspace); elsewhere, or with --all, every envctl environment on the engine.`

  static override examples = [
    { description: "This project's environments", command: '<%= config.bin %> <%= command.id %>' },
    { description: 'All of them, as data: [{ name, status, image, stack, workspace, ports, created, … }]', command: '<%= config.bin %> <%= command.id %> --all --json' },
  ]

  static override flags = { all: Flags.boolean({ char: 'a', summary: "Every envctl environment on the engine, not only this project's." }) }

  async run(): Promise<EnvSummary[]> {
    const { flags } = await this.parse(Ls)
    const [{ listEnvs }, { envTable }, { currentEnvName, isProjectDir }] = await Promise.all([import('../services/ls.js'), import('../services/env/env-list.js'), import('../services/env/target.js')])
    const cwd = process.cwd()
    const project = flags.all || !isProjectDir(cwd) ? null : { env: currentEnvName(cwd), workspace: cwd }
    const envs = await listEnvs(await engineFor(flags), project)
    if (envs.length > 0) this.log(envTable(envs, Date.now()))
    else this.note(project ? `no environments for ${project.env} (envctl up starts one; envctl ls --all lists every project's)` : 'no environments (envctl up starts one)')
    return envs
  }
}
