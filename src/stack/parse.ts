import { readFileSync } from 'node:fs'
import { parse, TomlError } from 'smol-toml'
import { EnvctlError, formatLocation } from '../errors/envctl-error.js'
import { indexPositions, type PositionIndex } from './locate.js'

/** One stack file as read from disk: its text, the parsed table, and where each key sits. */
export interface StackSource {
  /** Absolute path, or the built-in file's path. */
  path: string
  /** How messages name the file: relative to the working directory when inside it. */
  display: string
  /** The built-in's name, when the file is one (messages then say `built-in NAME (stacks/NAME.toml)`). */
  builtin?: string
  text: string
  table: Record<string, unknown>
  positions: PositionIndex
}

/** Parses stack file text; a TOML syntax error becomes one INVALID_STACK problem at its line and column. */
export function parseStackText(text: string, path: string, display: string, builtin?: string): StackSource {
  const named = builtin === undefined ? {} : { builtin }
  try {
    const table = parse(text, { unsafeKeyBehaviour: 'throw' }) as Record<string, unknown>
    return { path, display, ...named, text, table, positions: indexPositions(text) }
  } catch (err) {
    if (!(err instanceof TomlError)) throw err
    const reason = err.message.split('\n')[0].replace(/^Invalid TOML document:\s*/, '')
    throw new EnvctlError('INVALID_STACK', `${formatLocation({ file: display, ...named })} is not valid TOML`, {
      problems: [{ message: `TOML syntax error: ${reason}`, location: { file: display, ...named, line: err.line, column: err.column } }],
      hint: 'fix the syntax, then run the command again (TOML 1.0: https://toml.io/en/v1.0.0)',
      cause: err,
    })
  }
}

export function readStackFile(path: string, display: string, builtin?: string): StackSource {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new EnvctlError('INVALID_STACK', `cannot read stack file ${formatLocation({ file: display, ...(builtin === undefined ? {} : { builtin }) })}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err })
  }
  return parseStackText(text, path, display, builtin)
}
