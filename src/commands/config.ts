import { Args, Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import type { ConfigView } from '../settings/config-view.js'
import { userPaths } from './user-paths.js'
import { engineEndpointFrom } from './engine-flags.js'

export default class Config extends BaseCommand {
  static override summary = 'Show every personal setting (mirrors, proxies, CA, GPU mode, registry credentials), its value and where it came from.'
  static override description =
    'Precedence: flags > the project\'s envctl.toml (and what it extends) > the user config ($XDG_CONFIG_HOME/envctl/config.toml, default ~/.config/envctl/config.toml) > defaults. Each value shows its origin as file:line:column, "flag …", "env …" or "default", and the lower-precedence values it hides. docs/CONFIG.md describes the user config.'
  static override examples = ['<%= config.bin %> config', '<%= config.bin %> config --json', '<%= config.bin %> config ../other-project --cpu']
  static override args = { stack: Args.string({ ignoreStdin: true, description: 'Stack file or folder with envctl.toml (default: ./envctl.toml when there is one).' }) }
  static override flags = { cpu: Flags.boolean({ summary: 'Show the settings as a command given --cpu would use them.' }) }

  async run(): Promise<ConfigView> {
    const { args, flags } = await this.parse(Config)
    const { configView, renderConfigView } = await import('../settings/config-view.js')
    const endpoint = engineEndpointFrom(flags, args.stack)
    const view = configView({ cwd: process.cwd(), ref: args.stack, paths: userPaths(), flags: { cpu: flags.cpu }, engine: endpoint })
    if (!this.jsonEnabled()) this.log(renderConfigView(view))
    return view
  }
}
