// Values from a stack file end up inside Dockerfile instructions and shell commands. Formats reject
// characters a shell or the Dockerfile parser would act on; the renderer still quotes what it emits.

const CONTROL = /[\u0000-\u001f\u007f]/
const NAMED: Record<string, string> = {
  '\n': 'a newline', '\r': 'a carriage return', '\t': 'a tab', '\u0000': 'a NUL byte', ' ': 'a space', '`': 'a backquote (`)',
}

/** Shell metacharacters that never belong in a package spec, URL or name. */
export const SHELL_METACHARACTERS = /[`$|&;\\'"(){}<>*?!#\s]/

/** How a value is shown in a message: quoted, escapes visible, cut short. */
export function show(value: string): string {
  const quoted = JSON.stringify(value)
  return quoted.length > 72 ? `${quoted.slice(0, 68)}…"` : quoted
}

export function describeChar(c: string): string {
  return NAMED[c] ?? (CONTROL.test(c) ? `control character U+${c.charCodeAt(0).toString(16).padStart(4, '0')}` : `\`${c}\``)
}

/** "contains a newline" for the first control character, if any. */
export function controlCharacterIn(value: string): string | undefined {
  const m = CONTROL.exec(value)
  return m ? `contains ${describeChar(m[0])}` : undefined
}

/** "contains `$`" for the first character of `forbidden` found in value, if any. */
export function forbiddenCharacterIn(value: string, forbidden: RegExp = SHELL_METACHARACTERS): string | undefined {
  const m = forbidden.exec(value)
  return m ? `contains ${describeChar(m[0])}` : undefined
}

/** Runs checks in order and returns the first complaint. */
export function firstProblem(...checks: Array<() => string | undefined>): string | undefined {
  for (const check of checks) {
    const found = check()
    if (found !== undefined) return found
  }
  return undefined
}
