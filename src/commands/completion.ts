import { Args } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import { EnvctlError } from '../errors/envctl-error.js'

export default class Completion extends BaseCommand {
  static override summary = 'Print a shell completion script (bash, zsh or fish).'
  static override description = 'Completes commands, their flags, built-in stack names (and .toml files) for commands that take a stack, and environment names for commands that take one (asked of the engine with `docker ps` when you press Tab). Load it once per shell, from your shell\'s start-up file.'
  static override examples = [
    { description: 'bash (~/.bashrc)', command: 'eval "$(<%= config.bin %> completion bash)"' },
    { description: 'zsh (~/.zshrc, after compinit)', command: 'eval "$(<%= config.bin %> completion zsh)"' },
    { description: 'fish', command: '<%= config.bin %> completion fish > ~/.config/fish/completions/<%= config.bin %>.fish' },
  ]
  static override args = { shell: Args.string({ ignoreStdin: true, required: true, options: ['bash', 'zsh', 'fish'], description: 'bash, zsh or fish' }) }

  async run(): Promise<{ shell: string; script: string }> {
    const { args } = await this.parse(Completion)
    const [{ completionScript, SHELLS }, { builtinNames, defaultBuiltinDir }] = await Promise.all([import('../completion/scripts.js'), import('../stack/stack-ref.js')])
    const shell = SHELLS.find((s) => s === args.shell)
    if (!shell) throw new EnvctlError('USAGE', `no completion for ${args.shell}`, { hint: `choose one of: ${SHELLS.join(', ')}` })
    const commands = this.config.commands.filter((c) => !c.hidden).map((c) => ({
      id: c.id,
      summary: c.summary ?? '',
      flags: Object.entries(c.flags).filter(([, f]) => !f.hidden).flatMap(([name, f]) => [`--${name}`, ...(f.char ? [`-${f.char}`] : [])]),
      arg: 'stack' in c.args ? ('stack' as const) : 'name' in c.args ? ('env' as const) : ('none' as const),
    })).sort((a, b) => a.id.localeCompare(b.id))
    const script = completionScript(shell, { bin: this.config.bin, commands, stacks: builtinNames(defaultBuiltinDir()) })
    if (!this.jsonEnabled()) process.stdout.write(script)
    return { shell, script }
  }
}
