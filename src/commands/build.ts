import { Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import { stackArg } from './stack-arg.js'
import { hostFlags } from './host-flags.js'
import type { UpResult } from '../environment/up/up.js'

export default class Build extends BaseCommand {
  static override summary = 'Build the environment image without starting it.'
  static override description = 'Same resolution and image as `envctl up`; nothing is built when an image with the same content hash exists, unless --no-cache or --pull.'
  static override examples = ['<%= config.bin %> build', '<%= config.bin %> build pytorch --cpu', '<%= config.bin %> build --no-cache --pull']
  static override args = { stack: stackArg }
  static override flags = {
    ...hostFlags,
    gpus: Flags.string({ summary: 'GPU access the image is planned for: auto, all, none.', default: 'auto' }),
    'no-cache': Flags.boolean({ summary: 'Rebuild every layer.' }),
    pull: Flags.boolean({ summary: 'Pull the base image again before building.' }),
    'allow-exposure': Flags.boolean({ summary: 'Let a stack file from git or outside the project set run.bind beyond 127.0.0.1 or network.build_network = "host".' }),
    frozen: Flags.boolean({ summary: 'Fail if envctl.lock is missing or does not match the stack.' }),
  }

  async run(): Promise<UpResult> {
    const { args, flags } = await this.parse(Build)
    const { runUp } = await import('./run-up.js')
    const result = await runUp(this, args.stack, flags, { buildOnly: true })
    if (!this.jsonEnabled()) this.log(`${result.image} ${result.built ? 'built' : 'already built'}`)
    return result
  }
}
