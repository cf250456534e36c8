import { realpathSync } from 'node:fs'
import { Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import type { EnvEntry } from '../environment/ls.js'
import { withEngine } from './env-args.js'

export default class Ls extends BaseCommand {
  static override summary = "List envctl environments: this project's, or all of them."
  static override description = `Environments are found by their labels on the engine, never from a local state file. In a folder with envctl.toml, only your environments with this folder as workspace are listed; elsewhere, or with --all, every envctl environment on the engine, with the uid that owns each.`

  static override examples = [
    { description: "This project's environments", command: '<%= config.bin %> <%= command.id %>' },
    { description: 'All of them, as data: [{ name, container, status, image, stack, workspace, owner, gpus, ports, notebook, services, created, … }]', command: '<%= config.bin %> <%= command.id %> --all --json' },
    { description: 'With the notebook URLs and their tokens', command: '<%= config.bin %> <%= command.id %> --show-token' },
  ]

  static override flags = {
    all: Flags.boolean({ char: 'a', summary: "Every envctl environment on the engine, not only this project's." }),
    'show-token': Flags.boolean({ summary: 'Show notebook URLs with their tokens (treat them as passwords).' }),
  }

  async run(): Promise<EnvEntry[]> {
    const { flags } = await this.parse(Ls)
    const [{ listEnvs }, { envTable }, { isProjectDir }] = await Promise.all([import('../environment/ls.js'), import('../environment/env-list.js'), import('../environment/target.js')])
    const cwd = realpathSync(process.cwd())
    const project = flags.all || !isProjectDir(cwd) ? null : { workspace: cwd, uid: process.getuid?.() ?? 0 }
    const envs = await withEngine(flags, (engine) => {
      this.note(`engine: ${engine.host}${engine.source ? `, chosen by ${engine.source}` : ''}`)
      return listEnvs(engine, project, { showToken: flags['show-token'] })
    })
    if (envs.length > 0) this.log(envTable(envs, Date.now()))
    else this.note(project ? `no environments of yours for ${project.workspace} (envctl up starts one; envctl ls --all lists every project's)` : 'no environments (envctl up starts one)')
    for (const e of envs) if (e.notebook) this.log(`notebook of ${e.name}: ${e.notebook}`)
    for (const e of envs) for (const s of e.services) this.log(`service of ${e.name}: ${s.name} ${s.status} (${s.image})${s.ports.length ? ` ${s.ports.join(', ')}` : ''}`)
    return envs
  }
}
