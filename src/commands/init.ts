import { Args, Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import type { InitResult } from '../project/init.js'

export default class Init extends BaseCommand {
  static override summary = 'Create an envctl.toml here that extends a stack.'

  static override description = `Writes envctl.toml in the current folder. It extends STACK (a built-in, see envctl stacks, or a path to another stack file) and lists every other section as a commented example. An existing envctl.toml is left alone unless you pass --force.`

  static override examples = [
    { description: 'Start a PyTorch project', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'A Node.js project with a chosen name', command: '<%= config.bin %> <%= command.id %> node --name api' },
    { description: 'Extend a team stack file', command: '<%= config.bin %> <%= command.id %> ../team/base.toml' },
  ]

  static override args = {
    stack: Args.string({ description: 'built-in stack name or path to a stack file', default: 'pytorch' }),
  }

  static override flags = {
    name: Flags.string({ summary: 'Name of the environment (default: the folder name).' }),
    force: Flags.boolean({ summary: 'Replace an existing envctl.toml.', default: false }),
  }

  async run(): Promise<InitResult> {
    const { args, flags } = await this.parse(Init)
    const { initProject, formatInit } = await import('../project/init.js')
    const result = initProject({ cwd: process.cwd(), stack: args.stack, name: flags.name, force: flags.force })
    this.log(formatInit(result))
    return result
  }
}
