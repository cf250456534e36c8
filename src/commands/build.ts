import { Args, Flags } from '@oclif/core'
import { resolve } from 'node:path'
import { BaseCommand } from '../base-command.js'
import { hostFlags, hostFlagValues } from './host-flags.js'
import { userPaths } from './user-paths.js'
import { dockerConfigDir, engineHostFrom } from './engine-flags.js'
import type { UpResult } from '../services/up.js'

export default class Build extends BaseCommand {
  static override summary = 'Build the environment image without starting it.'
  static override description = 'Same resolution and image as `envctl up`; nothing is built when an image with the same content hash exists, unless --no-cache or --pull.'
  static override examples = ['<%= config.bin %> build', '<%= config.bin %> build pytorch --cpu', '<%= config.bin %> build --no-cache --pull']
  static override args = { stack: Args.string({ ignoreStdin: true, description: 'Built-in stack name, stack file, or folder with envctl.toml (default: ./envctl.toml).' }) }
  static override flags = {
    ...hostFlags,
    gpus: Flags.string({ summary: 'GPU access the image is planned for: auto, all, none.', default: 'auto' }),
    'no-cache': Flags.boolean({ summary: 'Rebuild every layer.' }),
    pull: Flags.boolean({ summary: 'Pull the base image again before building.' }),
    frozen: Flags.boolean({ summary: 'Fail if envctl.lock is missing or does not match the stack.' }),
  }

  async run(): Promise<UpResult> {
    const { args, flags } = await this.parse(Build)
    const { readHostFacts } = await import('../host/probe.js')
    const { up } = await import('../services/up.js')
    const { stepRunner, withInterrupt } = await import('../ui/runner.js')
    const cwd = process.cwd()
    const host = await readHostFacts(hostFlagValues(flags))
    const result = await withInterrupt((signal) =>
      up({ ref: args.stack, cwd, workspace: resolve(cwd), host, engineHost: engineHostFrom(flags), dockerConfigDir: dockerConfigDir(), paths: userPaths(), gpus: flags.gpus, noCache: flags['no-cache'], pull: flags.pull, frozen: flags.frozen, buildOnly: true, signal }, stepRunner(this.jsonEnabled())),
    )
    for (const w of result.warnings) this.note(`warning: ${w}`)
    for (const n of result.notes) this.note(n)
    if (!this.jsonEnabled()) this.log(`${result.image} ${result.built ? 'built' : 'already built'}`)
    return result
  }
}
