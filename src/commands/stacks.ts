import { BaseCommand } from './base-command.js'
import type { StacksResult } from '../project/stacks.js'
import { userPaths } from './user-paths.js'

export default class Stacks extends BaseCommand {
  static override summary = 'List the built-in stacks and the stack of the project here.'

  static override description = `Shows each built-in stack with its runtime, frameworks and description. When the current folder has an envctl.toml, it is loaded and validated too, and shown with the stack it extends; an invalid envctl.toml fails with exit code 2 and every problem at file:line:column.`

  static override examples = [
    { description: 'See what you can start from', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Machine-readable: { builtin: [...], project: {...} | null }', command: '<%= config.bin %> <%= command.id %> --json' },
  ]

  async run(): Promise<StacksResult> {
    await this.parse(Stacks)
    const { listStacks, formatStacks } = await import('../project/stacks.js')
    const result = listStacks({ cwd: process.cwd(), paths: userPaths() })
    this.log(formatStacks(result))
    return result
  }
}
