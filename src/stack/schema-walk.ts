import { FORMATS } from './formats/index.js'
import { show } from './formats/characters.js'
import type { KeyPath } from './key-path.js'
import type { SchemaNode } from './schema-node.js'
import { didYouMean } from './suggest.js'

/** One thing wrong with a stack file, before it is given a file position. */
export interface Issue {
  path: KeyPath
  message: string
  hint?: string
}

type Out = Issue[]

/** The TOML name of a parsed value's type, as users know them. */
export function tomlType(value: unknown): string {
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'float'
  if (typeof value === 'object' && value !== null) return isTable(value) ? 'table' : 'date-time'
  return typeof value
}

export function isTable(value: unknown): value is Record<string, unknown> {
  // smol-toml builds tables with a null prototype; dates are Date instances.
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}

const TYPE_NAMES: Record<NonNullable<SchemaNode['type']>, string> = {
  object: 'a table', array: 'an array', string: 'a string', integer: 'an integer', number: 'a number', boolean: 'a boolean',
}

function matchesType(value: unknown, type: NonNullable<SchemaNode['type']>): boolean {
  const actual = tomlType(value)
  if (type === 'object') return actual === 'table'
  if (type === 'number') return actual === 'integer' || actual === 'float'
  return actual === type
}

function typeIssue(value: unknown, node: SchemaNode, path: KeyPath): Issue {
  const actual = tomlType(value)
  const shown = typeof value === 'string' ? ` (${show(value)})` : typeof value === 'number' || typeof value === 'boolean' ? ` (${value})` : ''
  const quote = node.type === 'string' && (actual === 'integer' || actual === 'float') ? 'put the value in quotes' : undefined
  const article = /^[aeiou]/.test(actual) ? 'an' : 'a'
  return { path, message: `expected ${TYPE_NAMES[node.type!]}, got ${article} ${actual}${shown}`, hint: quote }
}

/** Walks `value` against `node`, appending every problem found (never stopping at the first). */
export function walk(value: unknown, node: SchemaNode, path: KeyPath, out: Out): void {
  if (node.anyOf) return walkAnyOf(value, node.anyOf, path, out)
  if (node.type && !matchesType(value, node.type)) {
    out.push(typeIssue(value, node, path))
    return
  }
  if (node.type === 'object') walkTable(value as Record<string, unknown>, node, path, out)
  else if (node.type === 'array') (value as unknown[]).forEach((item, i) => node.items && walk(item, node.items, [...path, i], out))
  else if (typeof value === 'string') checkString(value, node, path, out)
  else if (typeof value === 'number') checkNumber(value, node, path, out)
}

function walkAnyOf(value: unknown, choices: SchemaNode[], path: KeyPath, out: Out): void {
  const match = choices.find((c) => c.type && matchesType(value, c.type))
  if (match) return walk(value, match, path, out)
  const expected = choices.map((c) => TYPE_NAMES[c.type!]).join(' or ')
  out.push({ path, message: `expected ${expected}, got ${/^[aeiou]/.test(tomlType(value)) ? 'an' : 'a'} ${tomlType(value)}` })
}

function walkTable(table: Record<string, unknown>, node: SchemaNode, path: KeyPath, out: Out): void {
  for (const [key, value] of Object.entries(table)) {
    const known = node.properties?.[key]
    if (known) walk(value, known, [...path, key], out)
    else if (node.additionalProperties) {
      if (node.propertyNames) checkString(key, node.propertyNames, [...path, key], out)
      walk(value, node.additionalProperties, [...path, key], out)
    } else out.push(unknownKey(key, Object.keys(node.properties ?? {}), path))
  }
}

function unknownKey(key: string, siblings: string[], path: KeyPath): Issue {
  const guess = didYouMean(key, siblings)
  const where = path.length === 0 ? 'at the top level' : 'here'
  return {
    path: [...path, key],
    message: `unknown key \`${key}\`${guess ? `; did you mean \`${guess}\`?` : ''}`,
    hint: guess ? undefined : `keys allowed ${where}: ${siblings.join(', ')}`,
  }
}

function checkString(value: string, node: SchemaNode, path: KeyPath, out: Out): void {
  if (node.enum && !node.enum.includes(value)) {
    const guess = didYouMean(value, node.enum)
    const choices = node.enum.map((c) => `"${c}"`).join(', ')
    out.push({ path, message: `must be one of ${choices}; got ${show(value)}${guess ? `; did you mean "${guess}"?` : ''}` })
    return
  }
  if (node.maxLength !== undefined && value.length > node.maxLength) {
    out.push({ path, message: `is ${value.length} characters long; at most ${node.maxLength} allowed` })
    return
  }
  const problem = node.format ? FORMATS[node.format].check(value) : patternProblem(value, node)
  if (problem) out.push({ path, message: problem })
}

function patternProblem(value: string, node: SchemaNode): string | undefined {
  return node.pattern && !new RegExp(node.pattern).test(value) ? `${show(value)} does not match ${node.pattern}` : undefined
}

function checkNumber(value: number, node: SchemaNode, path: KeyPath, out: Out): void {
  const { minimum = -Infinity, maximum = Infinity } = node
  if (value >= minimum && value <= maximum) return
  const range = maximum >= Number.MAX_SAFE_INTEGER ? `at least ${minimum}` : `between ${minimum} and ${maximum}`
  out.push({ path, message: `must be ${range}; got ${value}` })
}
