import type { LockedResolution } from './types.js'
import { npmPackageName as npmName } from '../stack/formats/packages.js'

export interface Change {
  key: string
  from: string | null
  to: string | null
}

function flatten(value: unknown, prefix: string, out: Map<string, string>): void {
  if (value === null || value === undefined) return
  if (typeof value !== 'object') {
    out.set(prefix, String(value))
    return
  }
  if (Array.isArray(value) && value.every((v) => typeof v !== 'object')) {
    out.set(prefix, value.join(', '))
    return
  }
  for (const [k, v] of Object.entries(value)) flatten(v, prefix ? `${prefix}.${k}` : k, out)
}

/**
 * Package lists keyed by package name rather than list position, so one new package is one line; pip
 * entries show the version asked for ("2.2.6", ">=1.26", "*"), not the whole requirement.
 */
function keyed(r: LockedResolution): Record<string, unknown> {
  const { pip, apt, npm, ...rest } = r
  return {
    ...rest,
    pip: Object.fromEntries(pip.map((p) => [p.name, p.version])),
    apt: Object.fromEntries(apt.map((a) => [a.split('=')[0], a.split('=')[1] ?? '*'])),
    npm: Object.fromEntries(npm.map((s) => [npmName(s), s.slice(npmName(s).length + 1) || '*'])),
  }
}

/** Every leaf that differs between two resolutions, sorted by key. */
export function diffResolutions(a: LockedResolution | null, b: LockedResolution): Change[] {
  const fa = new Map<string, string>()
  const fb = new Map<string, string>()
  if (a) flatten(keyed(a), '', fa)
  flatten(keyed(b), '', fb)
  const keys = [...new Set([...fa.keys(), ...fb.keys()])].sort()
  return keys.filter((k) => fa.get(k) !== fb.get(k)).map((k) => ({ key: k, from: fa.get(k) ?? null, to: fb.get(k) ?? null }))
}

/** "pip.numpy" reads as "pip numpy": the package manager, then the package. */
function shownKey(key: string): string {
  return key.replace(/^(pip|apt|npm)\./, '$1 ')
}

/** One line per change: `~ pip numpy: 2.2.6 → 2.3.5`, `+ apt jq = 1.6-2.1`, `- npm left-pad = 1.3.0`. */
export function renderChanges(changes: Change[]): string {
  return changes
    .map((c) => [shownKey(c.key), c] as const)
    .map(([k, c]) => (c.from === null ? `+ ${k} = ${c.to}` : c.to === null ? `- ${k} = ${c.from}` : `~ ${k}: ${c.from} → ${c.to}`))
    .join('\n')
}
