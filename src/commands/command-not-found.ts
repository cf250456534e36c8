// The command edge for a mistyped command: oclif runs this hook only when no command matches, so it costs the other commands nothing.
import type { Hook } from '@oclif/core'
import { renderError, EnvctlError } from '../errors/envctl-error.js'
import { didYouMean } from '../stack/suggest.js'

/** Exit status of an unknown command (oclif's own; scripts may already rely on it). */
export const UNKNOWN_COMMAND_EXIT = 2

const hook: Hook.CommandNotFound = async function (opts) {
  const typed = opts.id.split(':')[0] ?? opts.id
  const match = didYouMean(typed, opts.config.commands.filter((c) => !c.hidden).map((c) => c.id))
  const err = new EnvctlError('USAGE', `${typed} is not an envctl command${match ? `; did you mean ${match}?` : ''}`, { hint: 'run: envctl --help (lists the commands)' })
  process.stderr.write(`${renderError(err)}\n`)
  process.exitCode = UNKNOWN_COMMAND_EXIT
  this.exit(UNKNOWN_COMMAND_EXIT)
}

export default hook
