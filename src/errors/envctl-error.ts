import { EXIT_CODES, type ErrorCode } from './codes.js'

/** Where in a stack file a problem sits. Lines and columns are 1-based. */
export interface SourceLocation {
  /** How messages name the file: relative to the working directory when inside it; `stacks/NAME.toml` for a built-in. */
  file: string
  /** Set when the file is a built-in stack: messages then name it `built-in NAME (stacks/NAME.toml:L:C)`. */
  builtin?: string
  line?: number
  column?: number
  keyPath?: string
}

export interface Problem {
  message: string
  location?: SourceLocation
  hint?: string
}

/**
 * The one error type library code throws for anything a user can act on.
 * The base command turns it into output and an exit code; nothing below src/commands exits.
 */
export class EnvctlError extends Error {
  readonly code: ErrorCode
  readonly problems: Problem[]
  readonly hint?: string

  constructor(code: ErrorCode, message: string, opts: { hint?: string; problems?: Problem[]; cause?: unknown } = {}) {
    super(message, { cause: opts.cause })
    this.name = 'EnvctlError'
    this.code = code
    this.hint = opts.hint
    this.problems = opts.problems ?? []
  }

  get exitCode(): number {
    return EXIT_CODES[this.code]
  }
}

/** `file:line:column`, or `built-in NAME (stacks/NAME.toml:line:column)`: never the installed package's absolute path. */
export function formatLocation(loc: SourceLocation): string {
  let s = loc.file
  if (loc.line !== undefined) s += `:${loc.line}`
  if (loc.line !== undefined && loc.column !== undefined) s += `:${loc.column}`
  return loc.builtin === undefined ? s : `built-in ${loc.builtin} (${s})`
}

/** Human text for an error: the message, each problem on its own line, then the remedy. */
export function renderError(err: EnvctlError): string {
  const lines = [`error[${err.code}]: ${err.message}`]
  for (const p of err.problems) {
    const where = p.location ? `${formatLocation(p.location)}: ` : ''
    const key = p.location?.keyPath ? ` (${p.location.keyPath})` : ''
    lines.push(`  ${where}${p.message}${key}`)
    if (p.hint) lines.push(`    hint: ${p.hint}`)
  }
  if (err.hint) lines.push(`  fix: ${err.hint}`)
  return lines.join('\n')
}
