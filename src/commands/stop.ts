import { BaseCommand } from './base-command.js'
import type { StopResult } from '../environment/stop.js'
import { envNameArg, engineFor, targetEnv, targetText } from './env-args.js'

export default class Stop extends BaseCommand {
  static override summary = 'Stop the environment, keeping its container.'
  static override description = `The container, its home folder and everything installed in it stay; envctl up starts the same container again, and envctl down removes it. Stopping a stopped environment does nothing.`

  static override examples = [
    { description: 'The project here', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'A named environment', command: '<%= config.bin %> <%= command.id %> myproject' },
  ]

  static override args = { name: envNameArg }

  async run(): Promise<StopResult> {
    const { args, flags } = await this.parse(Stop)
    const [{ stopEnv }, { withSpinner }] = await Promise.all([import('../environment/stop.js'), import('./step-runner.js')])
    const name = await targetEnv(args.name)
    const result = await withSpinner(`stopping ${targetText(name)}`, this.jsonEnabled(), async () => stopEnv(await engineFor(flags), name))
    this.log(result.wasRunning ? `stopped ${result.name} (envctl up starts it again)` : `${result.name} was not running (${result.status})`)
    for (const s of result.services) this.log(`stopped service ${s}`)
    return result
  }
}
