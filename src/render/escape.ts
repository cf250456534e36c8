import { EnvctlError } from '../errors/envctl-error.js'

/**
 * Quoting rules for every string that reaches the Dockerfile. Validation upstream should already have
 * rejected anything odd; these rules are the second line of defence, so each one is complete on its own.
 */

/**
 * Characters no rendered string may hold, even inside quotes:
 * - C0/C1 controls, including \n, \r and NUL: a newline ends a Dockerfile instruction, so it could start a
 *   new one (`\nRUN rm -rf /`); NUL truncates strings in some tools.
 * - U+2028/U+2029: not line breaks to the Dockerfile parser, but editors and diff viewers show them as
 *   one, so a reviewer would read a different file than the engine builds.
 * - Bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) and U+FEFF: they reorder or hide text on
 *   screen ("Trojan Source"); there is no honest use for them in a package list or an env value.
 */
const FORBIDDEN_CHARS = '[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029\\u202a-\\u202e\\u2066-\\u2069\\ufeff]'
const FORBIDDEN = new RegExp(FORBIDDEN_CHARS)

/** The value quoted for a message, with every forbidden character spelled \uXXXX so the message stays one line. */
function shown(value: string): string {
  return JSON.stringify(value).replace(new RegExp(FORBIDDEN_CHARS, 'g'), (c) => `\\u${hex(c)}`)
}

function hex(c: string): string {
  return c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')
}

/** Thrown for a value the renderer refuses; `what` names the field, e.g. "env value of FOO". */
export function renderRefusal(what: string, value: string, why: string): EnvctlError {
  return new EnvctlError('INVALID_STACK', `Cannot put ${what} ${shown(value)} in a Dockerfile: ${why}.`, {
    hint: 'Fix the value in the stack file; it should have been rejected when the stack was validated, so please report this too.',
  })
}

/** Throws unless `value` is free of line breaks, control and bidi characters (see FORBIDDEN). */
export function assertPrintable(value: string, what: string): string {
  const bad = FORBIDDEN.exec(value)
  if (bad) {
    throw renderRefusal(what, value, `it contains U+${hex(bad[0])}, a control, line-separator or bidi character`)
  }
  return value
}

/**
 * A POSIX shell word in single quotes. Inside '…' the shell interprets nothing ($, `, \, ;, # are all
 * literal), and a single quote cannot be escaped, so each ' becomes '\'' (close, escaped quote, reopen).
 * RUN passes its text to /bin/sh unchanged (the Dockerfile expands no variables in RUN), and a word
 * always ends in ', so it can never end a line with the `\` that would continue the instruction.
 */
export function shellWord(value: string, what: string): string {
  assertPrintable(value, what)
  return `'${value.replace(/'/g, `'\\''`)}'`
}

/**
 * A Dockerfile double-quoted string, for ENV and LABEL values. The Dockerfile's own word parser (not a
 * shell) treats only three characters after a backslash as escaped: `"`, `$` and `\`. Escaping `$` stops
 * variable expansion ($HOME, ${A:-b}); escaping `\` keeps a trailing backslash from escaping the closing
 * quote or continuing the line. Backticks and $( ) mean nothing to the Dockerfile, so they stay as is.
 */
export function dockerfileString(value: string, what: string): string {
  assertPrintable(value, what)
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`
}

/**
 * A JSON array for exec-form CMD. JSON.stringify escapes `"` and `\`; exec form runs no shell and the
 * Dockerfile expands no variables in CMD, so nothing else is special. The line must stay valid JSON:
 * otherwise Docker silently falls back to shell form.
 */
export function execForm(args: string[], what: string): string {
  if (args.length === 0) throw renderRefusal(what, '', 'the command is empty')
  return `[${args.map((a) => JSON.stringify(assertPrintable(a, what))).join(', ')}]`
}

/** Replacement text of a sed `s|…|…|` command: `\` and `&` are special there, and `|` is the delimiter. */
export function sedReplacement(value: string): string {
  return value.replace(/[\\&|]/g, (c) => `\\${c}`)
}

/** Text content of an XML element (maven's settings.xml). */
export function xmlText(value: string): string {
  const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' }
  return value.replace(/[&<>"']/g, (c) => entities[c]!)
}

/**
 * A word usable inside a `--mount=` option (an id): the option is comma- and equals-separated, so keep only
 * [a-z0-9._-]. Derived from data rather than copied, so it is sanitised instead of refused.
 */
export function mountId(value: string): string {
  const slug = value.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '')
  return slug === '' ? 'unknown' : slug
}
