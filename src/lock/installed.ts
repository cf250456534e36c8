import type { PinnedPip } from '../resolvers/types.js'
import { byName } from './sorted.js'
import type { ReportedPip } from './pip-report.js'
import type { InstalledSet } from './types.js'

/**
 * The lock's installed set from what the build reported. Reports come in layer order: a package a later
 * layer installed again (a user pin over a framework dependency) is recorded as the later layer has it.
 */
export function installedSet(pip: ReportedPip[], apt: Record<string, string>, npm?: Record<string, string>): InstalledSet {
  const last = new Map(pip.map((p) => [p.name, p]))
  const all = [...last.values()].sort(byName)
  const table = (f: (p: ReportedPip) => string | undefined) => {
    const rows = all.map((p) => [p.name, f(p)] as const).filter((r): r is readonly [string, string] => r[1] !== undefined)
    return rows.length ? Object.fromEntries(rows) : undefined
  }
  const optional = {
    pipSha256: table((p) => p.sha256),
    pipUnhashed: table((p) => p.unhashed),
    pipUrl: table((p) => p.url),
    pipLayer: table((p) => (p.layer === 'user' ? undefined : p.layer)) as Record<string, 'framework' | 'tooling'> | undefined,
    npm,
  }
  const present = Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined))
  return { pip: Object.fromEntries(all.map((p) => [p.name, p.version])), apt, ...present }
}

/** Every pip package of an installed set with its hash, URL and layer. */
export function pinsOf(set: InstalledSet): PinnedPip[] {
  return Object.keys(set.pip)
    .sort()
    .map((name) => {
      const sha256 = set.pipSha256?.[name]
      const url = set.pipUrl?.[name]
      return { name, version: set.pip[name]!, ...(sha256 ? { sha256 } : {}), ...(url ? { url } : {}), layer: set.pipLayer?.[name] ?? 'user' }
    })
}
