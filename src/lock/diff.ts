import type { LockedResolution } from './types.js'

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

/** pip entries keyed by package name rather than list position, so one new package is one line. */
function keyed(r: LockedResolution): Record<string, unknown> {
  const { pip, ...rest } = r
  return { ...rest, pip: Object.fromEntries(pip.map((p) => [p.name, p.requirement])) }
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

export function renderChanges(changes: Change[]): string {
  return changes.map((c) => (c.from === null ? `+ ${c.key} = ${c.to}` : c.to === null ? `- ${c.key} = ${c.from}` : `~ ${c.key}: ${c.from} → ${c.to}`)).join('\n')
}
