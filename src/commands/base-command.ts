import { Command, Flags, Interfaces } from '@oclif/core'
import { EnvctlError, renderError } from '../errors/envctl-error.js'
import { EXIT_CODES } from '../errors/codes.js'
import { maskDeep, maskSecrets } from '../secrets/mask.js'
import { didYouMean } from '../stack/suggest.js'

/** oclif's parse errors start with a generic line ("The following error occurred:"); keep the specific ones. */
export function usageMessage(text: string): string {
  const lines = text.split('\n').map((l) => l.trim()).filter(Boolean)
  const specific = lines.filter((l) => !/^the following errors? occurred:?$/i.test(l) && !/^see more help with/i.test(l))
  return (specific.length ? specific : lines).join('; ')
}

/** "did you mean --no-cache?" for each unknown flag oclif reported (its NonExistentFlagsError lists them). */
export function flagSuggestion(unknown: unknown, known: string[]): string | null {
  if (!Array.isArray(unknown)) return null
  const typedFlags = unknown.filter((f): f is string => typeof f === 'string')
  const parts = typedFlags.map((f) => {
    const typed = f.split('=')[0]!
    const bare = (k: string) => k.replace(/^-+/, '')
    const match = didYouMean(bare(typed), known.map(bare))
    if (match === undefined) return null
    const text = `did you mean ${known.find((k) => bare(k) === match)}?`
    return typedFlags.length > 1 ? `${typed}: ${text}` : text
  }).filter((t): t is string => t !== null)
  return parts.length ? parts.join('; ') : null
}

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>

/**
 * Every envctl command: `--json` returns run()'s value on stdout; progress goes to stderr; errors are
 * typed EnvctlErrors turned into one readable block and a documented exit code, never a stack trace.
 */
export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    'docker-host': Flags.string({
      summary: 'Docker engine to talk to (unix://, tcp://, ssh://). Defaults to DOCKER_HOST, DOCKER_CONTEXT, the current Docker context, then the local socket.',
      aliases: ['host'],
      helpGroup: 'GLOBAL',
    }),
  }


  /** Progress and notices go to stderr, so stdout stays a clean result. Silent with --json. */
  note(message: string): void {
    if (!this.jsonEnabled()) process.stderr.write(`${maskSecrets(message)}\n`)
  }

  // Every output passes the one masking function: credentials in mirror and proxy URLs never reach a
  // terminal, a log or a --json consumer, whichever message or result carried them.
  override log(message = '', ...args: unknown[]): void {
    super.log(maskSecrets(message), ...args)
  }

  protected override toSuccessJson(result: unknown): unknown {
    return maskDeep(super.toSuccessJson(result))
  }

  protected override async catch(err: Error & { exitCode?: number; oclif?: { exit?: number } }): Promise<unknown> {
    if (err instanceof EnvctlError) return this.failWith(err)
    // oclif's own parse errors (unknown flag, missing arg) are usage errors.
    if (err.oclif?.exit !== undefined && err.oclif.exit !== 0 && err.name !== 'ExitError') {
      const suggestion = flagSuggestion((err as { flags?: unknown }).flags, this.knownFlags())
      return this.failWith(new EnvctlError('USAGE', usageMessage(err.message) + (suggestion ? `; ${suggestion}` : ''), { hint: `run: envctl ${this.id ?? ''} --help` }))
    }
    if (err.name === 'ExitError' || err.oclif?.exit === 0) throw err
    const wrapped = new EnvctlError('UNEXPECTED', err.message.split('\n')[0] || String(err), {
      hint: 'run with DEBUG=envctl* for details, and report it if it persists',
      cause: err,
    })
    if (process.env.DEBUG?.includes('envctl')) process.stderr.write(`${maskSecrets(err.stack ?? '')}\n`)
    return this.failWith(wrapped)
  }

  /** Every flag this command takes, as typed (--name, -n), for suggestions. */
  private knownFlags(): string[] {
    const flags = { ...(this.ctor.baseFlags ?? {}), ...(this.ctor.flags ?? {}), ...(this.ctor.enableJsonFlag ? { json: {} } : {}) } as Record<string, { char?: string; hidden?: boolean }>
    return Object.entries(flags).filter(([, f]) => !f.hidden).flatMap(([name, f]) => [`--${name}`, ...(f.char ? [`-${f.char}`] : [])])
  }

  private failWith(raw: EnvctlError): never {
    const err = masked(raw)
    if (this.jsonEnabled()) {
      const problems = err.problems.map((p) => ({ message: p.message, ...p.location, hint: p.hint }))
      process.stdout.write(`${JSON.stringify({ error: { code: err.code, exitCode: err.exitCode, message: err.message, hint: err.hint, problems } }, null, 2)}\n`)
    } else {
      process.stderr.write(`${renderError(err)}\n`)
    }
    process.exitCode = err.exitCode
    this.exit(err.exitCode ?? EXIT_CODES.UNEXPECTED)
  }
}

/** The error as it may be shown: message, problems and remedy masked (log tails quote URLs with credentials). */
function masked(err: EnvctlError): EnvctlError {
  const problems = err.problems.map((p) => ({ ...p, message: maskSecrets(p.message), ...(p.hint ? { hint: maskSecrets(p.hint) } : {}) }))
  return new EnvctlError(err.code, maskSecrets(err.message), { problems, hint: err.hint && maskSecrets(err.hint), cause: err })
}
