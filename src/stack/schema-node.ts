import { FORMATS, type FormatName } from './formats/index.js'

/** The subset of JSON Schema (draft-07) that stack files use and validate.ts understands. */
export interface SchemaNode {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean'
  description: string
  properties?: Record<string, SchemaNode>
  additionalProperties?: false | SchemaNode
  propertyNames?: SchemaNode
  items?: SchemaNode
  enum?: readonly string[]
  /** Published for editors; validate.ts uses the format's check when there is one. */
  pattern?: string
  format?: FormatName
  minimum?: number
  maximum?: number
  maxLength?: number
  default?: unknown
  examples?: unknown[]
  /** Alternatives told apart by their TOML type (a string shorthand or a table); validate.ts walks the one that matches. */
  anyOf?: SchemaNode[]
}

type Extra = Partial<Omit<SchemaNode, 'description'>>

export function str(description: string, format?: FormatName, extra: Extra = {}): SchemaNode {
  const node: SchemaNode = { type: 'string', description, ...extra }
  if (!format) return node
  const pattern: RegExp | undefined = (FORMATS[format] as { pattern?: RegExp }).pattern
  return pattern ? { ...node, format, pattern: pattern.source } : { ...node, format }
}

export function oneOf(description: string, choices: readonly string[], defaultValue?: string): SchemaNode {
  return { type: 'string', description, enum: choices, ...(defaultValue === undefined ? {} : { default: defaultValue }) }
}

export function int(description: string, minimum: number, maximum: number, extra: Extra = {}): SchemaNode {
  return { type: 'integer', description, minimum, maximum, ...extra }
}

export function bool(description: string, defaultValue: boolean): SchemaNode {
  return { type: 'boolean', description, default: defaultValue }
}

export function list(description: string, items: SchemaNode, extra: Extra = {}): SchemaNode {
  return { type: 'array', description, items, default: [], ...extra }
}

/** A table with fixed keys; anything else is an unknown key. */
export function table(description: string, properties: Record<string, SchemaNode>): SchemaNode {
  return { type: 'object', description, properties, additionalProperties: false }
}

/** A table whose keys the user chooses (env vars), each value checked against `values`. */
export function map(description: string, keys: SchemaNode, values: SchemaNode): SchemaNode {
  return { type: 'object', description, propertyNames: keys, additionalProperties: values, default: {} }
}

/** A value written either as a string (a shorthand) or as a table; the walker picks by type. */
export function stringOrTable(description: string, shorthand: SchemaNode, full: SchemaNode): SchemaNode {
  return { description, anyOf: [shorthand, full] }
}
