import type { ResolvedStack } from '../resolvers/types.js'
import { normalizeName } from '../resolvers/pep440.js'
import { canonicalJson } from './canonical.js'
import { npmPackageName as npmName } from '../stack/formats/packages.js'
import type { InstalledSet, LockedResolution, LockedVariant } from './types.js'

/** What a lock keeps of a resolution: nothing personal (mirrors, proxies), nothing it adds itself. */
export function toLocked(r: ResolvedStack): LockedResolution {
  const { explain: _e, warnings: _w, mirrors: _m, network: _n, locked: _l, ...rest } = r
  const { digest: _d, ...base } = rest.base
  return { ...rest, base }
}

/** A changed base, python, CUDA or runtime changes what every package manager sees: nothing stays pinned. */
function changesEverything(a: LockedResolution, b: LockedResolution): boolean {
  return a.base.image !== b.base.image || a.python !== b.python || a.cuda !== b.cuda || a.runtime !== b.runtime
}

function changedKeys(a: Map<string, string>, b: Map<string, string>): string[] {
  return [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k))
}

const pipMap = (r: LockedResolution) => new Map(r.pip.map((p) => [normalizeName(p.name), p.requirement]))
const npmMap = (r: LockedResolution) => new Map(r.npm.map((s) => [npmName(s), s]))

/** The packages envctl.lock records in the framework layer. */
export function frameworkLayer(set: InstalledSet | undefined): string[] {
  return Object.entries(set?.pipLayer ?? {}).filter(([, l]) => l === 'framework').map(([n]) => n)
}

/**
 * The pins a change of resolution invalidates: every pip requirement that changed, was added or removed;
 * the whole framework layer when a framework moved; every apt pin when the apt list changed; changed npm
 * specs. 'all' when nothing can stay pinned.
 */
export function releasedBy(prev: LockedVariant, next: LockedResolution): Set<string> | 'all' {
  const a = prev.resolution
  if (changesEverything(a, next)) return 'all'
  const out = new Set(changedKeys(pipMap(a), pipMap(next)))
  const frameworks = (r: LockedResolution) => canonicalJson([r.frameworks, r.variants, r.pipSources])
  if (frameworks(a) !== frameworks(next)) for (const n of frameworkLayer(prev.installed)) out.add(n)
  if (canonicalJson(a.apt) !== canonicalJson(next.apt)) for (const n of Object.keys(prev.installed?.apt ?? {})) out.add(n)
  for (const n of changedKeys(npmMap(a), npmMap(next))) out.add(n)
  return out
}

/**
 * The variant a new resolution gets: the previous build facts stay, except the pins the change releases
 * and the names asked for (`envctl lock --upgrade NAME`), which the next build resolves again.
 */
export function nextVariant(prev: LockedVariant | undefined, next: LockedResolution, named: Iterable<string> = []): LockedVariant {
  if (!prev) return { resolution: next }
  const released = releasedBy(prev, next)
  if (released === 'all') return { resolution: next }
  const base = prev.baseDigest ? { baseDigest: prev.baseDigest } : prev.baseDigestAbsent ? { baseDigestAbsent: prev.baseDigestAbsent } : {}
  if (!prev.installed) return { resolution: next, ...base }
  const unpinned = [...new Set([...(prev.installed.unpinned ?? []), ...released, ...named])].sort()
  const { unpinned: _u, ...installed } = prev.installed
  return { resolution: next, ...base, installed: unpinned.length ? { ...installed, unpinned } : installed }
}

/** Names `envctl lock --upgrade` accepts for a variant: frameworks, pip, apt and npm packages, and "base". */
export function upgradeableNames(v: LockedVariant): Set<string> {
  const r = v.resolution
  return new Set([
    'base',
    ...Object.keys(r.frameworks),
    ...r.pip.map((p) => normalizeName(p.name)),
    ...Object.keys(v.installed?.pip ?? {}),
    ...r.apt.map((a) => a.split('=')[0]!),
    ...Object.keys(v.installed?.apt ?? {}),
    ...r.npm.map(npmName),
    ...Object.keys(v.installed?.npm ?? {}),
  ])
}
