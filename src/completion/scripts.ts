// Shell completion scripts, made from the command registry: commands, each command's flags, built-in stack
// names for commands that take a stack, environment names (asked of the engine by `docker ps` when the user
// presses Tab, so envctl itself does not start) for commands that take one. Pure: the command passes the model.

export type ArgKind = 'stack' | 'env' | 'none'

export interface CompletionCommand {
  id: string
  summary: string
  flags: string[]
  arg: ArgKind
}

export interface CompletionModel {
  bin: string
  commands: CompletionCommand[]
  stacks: string[]
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const
export type Shell = (typeof SHELLS)[number]

/** Container names of envctl's environments, as the engine lists them. */
const ENV_NAMES = `docker ps -a --filter label=dev.envctl.managed=1 --format '{{.Names}}' 2>/dev/null`

const fn = (bin: string) => `_${bin.replace(/[^A-Za-z0-9_]/g, '_')}`

function bash(m: CompletionModel): string {
  const name = fn(m.bin)
  const cases = m.commands.map((c) => {
    const arg = c.arg === 'stack' ? `words="$words ${m.stacks.join(' ')}"; compopt -o default 2>/dev/null` : c.arg === 'env' ? `words="$words $(${ENV_NAMES})"` : ':'
    const shells = c.id === 'completion' ? `words="$words ${SHELLS.join(' ')}"` : arg
    return `    ${c.id}) words="${c.flags.join(' ')}"; if [[ "$cur" != -* ]]; then ${shells}; fi ;;`
  })
  return `# ${m.bin} completion for bash: eval "$(${m.bin} completion bash)" (e.g. in ~/.bashrc)
${name}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" words=""
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=($(compgen -W "${m.commands.map((c) => c.id).join(' ')} --help --version" -- "$cur"))
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases.join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F ${name} ${m.bin}
`
}

const zq = (s: string) => s.replace(/'/g, `'\\''`).replace(/:/g, '\\:')

function zsh(m: CompletionModel): string {
  const name = fn(m.bin)
  const cases = m.commands.map((c) => {
    const arg = c.arg === 'stack' ? ` ${m.stacks.join(' ')}` : ''
    const env = c.arg === 'env' ? ' $(' + ENV_NAMES + ')' : ''
    return `    ${c.id}) compadd -- ${c.flags.join(' ')}${arg}${env}${c.arg === 'stack' ? '; _files -g "*.toml"' : ''} ;;`
  })
  return `#compdef ${m.bin}
# ${m.bin} completion for zsh: eval "$(${m.bin} completion zsh)" (e.g. in ~/.zshrc, after compinit)
${name}() {
  if (( CURRENT == 2 )); then
    local -a cmds
    cmds=(${m.commands.map((c) => `'${zq(c.id)}:${zq(c.summary)}'`).join(' ')})
    _describe 'command' cmds
    return
  fi
  case "\${words[2]}" in
${cases.join('\n')}
  esac
}
compdef ${name} ${m.bin}
`
}

const fq = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

function fish(m: CompletionModel): string {
  const lines = [`# ${m.bin} completion for fish: ${m.bin} completion fish | source (or save it in ~/.config/fish/completions/${m.bin}.fish)`, `complete -c ${m.bin} -f`]
  for (const c of m.commands) lines.push(`complete -c ${m.bin} -n __fish_use_subcommand -a ${c.id} -d ${fq(c.summary)}`)
  for (const c of m.commands) {
    const when = `-n '__fish_seen_subcommand_from ${c.id}'`
    for (const f of c.flags.filter((f) => f.startsWith('--'))) lines.push(`complete -c ${m.bin} ${when} -l ${f.slice(2)}`)
    if (c.arg === 'stack') lines.push(`complete -c ${m.bin} ${when} -F -a ${fq(m.stacks.join(' '))}`)
    // Inside fish's single-quoted -a, the format string takes double quotes.
    if (c.arg === 'env') lines.push(`complete -c ${m.bin} ${when} -a '(${ENV_NAMES.replace(/'/g, '"')})'`)
  }
  return `${lines.join('\n')}\n`
}

export function completionScript(shell: Shell, m: CompletionModel): string {
  return shell === 'bash' ? bash(m) : shell === 'zsh' ? zsh(m) : fish(m)
}
