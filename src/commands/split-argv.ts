import { EnvctlError } from '../errors/envctl-error.js'

export interface SplitArgv {
  /** envctl's own arguments and flags: what comes before `--`. */
  own: string[]
  /** The command to run, verbatim: its flags are never read as envctl's. */
  command: string[]
}

/** Splits `exec [NAME] [FLAGS] -- CMD ARGS…` at the first `--`; a later `--` belongs to the command. */
export function splitAtDoubleDash(argv: readonly string[]): SplitArgv {
  const at = argv.indexOf('--')
  const command = at < 0 ? [] : argv.slice(at + 1)
  if (command.length === 0) {
    throw new EnvctlError('USAGE', at < 0 ? 'no command given: put it after --' : 'no command given after --', {
      hint: "envctl exec [NAME] -- CMD ARGS…, e.g. envctl exec -- python -V",
    })
  }
  return { own: argv.slice(0, at), command }
}
