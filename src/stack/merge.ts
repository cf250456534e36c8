import type { SourceLocation } from '../errors/envctl-error.js'
import { formatKeyPath, type KeyPath } from './key-path.js'
import { locate, type PositionIndex } from './locate.js'
import { PACKAGE_NAME } from './package-names.js'
import { isTable } from './schema-walk.js'

/** One validated file's table, base files first. */
export interface MergeLayer {
  table: Record<string, unknown>
  display: string
  /** The built-in's name, when the layer is one. */
  builtin?: string
  positions: PositionIndex
}

/** An inherited value a nearer layer replaced: kept so `resolve --explain` can say what was overridden. */
export interface Override {
  /** Key path of the value (`python.version`, `frameworks.pytorch`), or of the list it was in (`packages.pip`). */
  key: string
  /** The replaced value as written: a scalar, or the list entry (then `key` names the list). */
  value: unknown
  /** Where the replaced value was written. */
  at: SourceLocation
  /** Where the value that replaced it was written. */
  by: SourceLocation
}

export interface MergedTable {
  /** TOML-shaped (snake_case) merge of all layers, without the per-file keys `extends` and `name`. */
  table: Record<string, unknown>
  /** Formatted key path → where its value was last set. List elements are recorded as `path[i]`. */
  provenance: Record<string, SourceLocation>
  /** Inherited scalars and list entries a later layer replaced, in merge order. */
  overridden: Override[]
}

/** How a list merges with the same list from a base file. */
type ListRule = 'append' | 'replace' | ((entry: string) => string)

// Packages merge by name: a later pin replaces the earlier one in place. A command is one argv, not a set.
const LIST_RULES: Record<string, ListRule> = {
  'packages.pip': PACKAGE_NAME.pip,
  'packages.apt': PACKAGE_NAME.apt,
  'packages.npm': PACKAGE_NAME.npm,
  'packages.maven': PACKAGE_NAME.maven,
  'run.command': 'replace',
}

/** Lists inside a service replace the inherited list whole: a command, ports, dependencies and a health check are each one value. */
function serviceListRule(key: string): ListRule | undefined {
  return /^services\.(?:"[^"]*"|[^.]+)\.(command|ports|depends_on|healthcheck\.command)$/.test(key) ? 'replace' : undefined
}

/** Keys that belong to one file and are never inherited. */
const PER_FILE_KEYS = new Set(['extends', 'name'])

interface Writer {
  provenance: Record<string, SourceLocation>
  overridden: Override[]
  at(path: KeyPath): SourceLocation
}

/** Merges layers (base first): tables deep-merge, lists append without duplicates, later scalars win. */
export function mergeLayers(layers: MergeLayer[]): MergedTable {
  const merged: MergedTable = { table: {}, provenance: {}, overridden: [] }
  for (const layer of layers) {
    const writer: Writer = { provenance: merged.provenance, overridden: merged.overridden, at: (path) => locationIn(layer, path) }
    const own = expandShorthands(Object.fromEntries(Object.entries(layer.table).filter(([key]) => !PER_FILE_KEYS.has(key))))
    mergeTable(merged.table, own, [], writer)
  }
  return merged
}

/**
 * `workspace = "remote:…"` is short for `[workspace] path = "remote:…"`: expanded per file before merging, so a
 * base file's string and a nearer file's table merge key by key (its position stays the string's line).
 */
function expandShorthands(table: Record<string, unknown>): Record<string, unknown> {
  return typeof table.workspace === 'string' ? { ...table, workspace: { path: table.workspace } } : table
}

export function locationIn(layer: Pick<MergeLayer, 'display' | 'builtin' | 'positions'>, path: KeyPath): SourceLocation {
  return { file: layer.display, ...(layer.builtin === undefined ? {} : { builtin: layer.builtin }), ...locate(layer.positions, path), keyPath: formatKeyPath(path) }
}

function mergeTable(target: Record<string, unknown>, source: Record<string, unknown>, path: KeyPath, writer: Writer): void {
  for (const [key, value] of Object.entries(source)) {
    const at = [...path, key]
    if (isTable(value)) {
      if (!isTable(target[key])) target[key] = {}
      mergeTable(target[key] as Record<string, unknown>, value, at, writer)
    } else if (Array.isArray(value)) {
      target[key] = mergeList(Array.isArray(target[key]) ? (target[key] as unknown[]) : [], value, at, writer)
    } else {
      const formatted = formatKeyPath(at)
      const previous = writer.provenance[formatted]
      if (previous && key in target && target[key] !== value) writer.overridden.push({ key: formatted, value: target[key], at: previous, by: writer.at(at) })
      target[key] = value
      writer.provenance[formatted] = writer.at(at)
    }
  }
}

function sameEntry(rule: ListRule, a: unknown, b: unknown): boolean {
  if (typeof rule === 'function' && typeof a === 'string' && typeof b === 'string') return rule(a) === rule(b)
  return JSON.stringify(a) === JSON.stringify(b)
}

function mergeList(base: unknown[], added: unknown[], path: KeyPath, writer: Writer): unknown[] {
  const key = formatKeyPath(path)
  const rule = LIST_RULES[key] ?? serviceListRule(key) ?? 'append'
  const keep = rule === 'replace' ? 0 : base.length
  const items = base.slice(0, keep)
  const origins = items.map((_, i) => writer.provenance[formatKeyPath([...path, i])])
  added.forEach((entry, i) => {
    const found = items.findIndex((existing) => sameEntry(rule, existing, entry))
    const slot = found >= 0 ? found : items.length
    if (found >= 0 && found < keep && items[found] !== entry && origins[found]) {
      writer.overridden.push({ key: formatKeyPath(path), value: items[found], at: origins[found], by: writer.at([...path, i]) })
    }
    items[slot] = entry
    origins[slot] = writer.at([...path, i])
  })
  for (let i = 0; i < base.length; i++) delete writer.provenance[formatKeyPath([...path, i])]
  origins.forEach((origin, i) => (writer.provenance[formatKeyPath([...path, i])] = origin))
  writer.provenance[formatKeyPath(path)] = writer.at(path)
  return items
}
