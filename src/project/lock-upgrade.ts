import type { StackSpec } from '../stack/types.js'
import type { ResolvedStack } from '../resolvers/types.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { normalizeName } from '../resolvers/pep440.js'
import { frameworkOfKey, frameworkRequests } from '../resolvers/frameworks/requests.js'
import type { LockedVariant } from '../lock/types.js'
import type { Change } from '../lock/diff.js'
import { frameworkLayer, nextVariant, toLocked, upgradeableNames } from '../lock/variant.js'

export interface NamedUpgrade {
  spec: StackSpec
  prev: LockedVariant
  /** Whether the lock still matches the stack (then only named frameworks are resolved again). */
  matches: boolean
  names: string[]
  resolve: (spec: StackSpec) => ResolvedStack
}

/** A framework name as the resolution keys it ("torch" → "pytorch"), or the name PEP 503-normalised. */
function canonical(name: string): string {
  return frameworkOfKey(name) ?? (name === 'base' ? name : normalizeName(name))
}

/** Every name must be known to some variant of the lock (an apt dependency may be recorded for one only). */
export function checkUpgradeNames(names: string[], variants: LockedVariant[]): void {
  const known = new Set(variants.flatMap((v) => [...upgradeableNames(v)]))
  const unknown = names.filter((n) => !known.has(canonical(n)) && !known.has(n))
  if (unknown.length === 0) return
  throw new EnvctlError('USAGE', `not in envctl.lock: ${unknown.join(', ')}`, {
    hint: `name frameworks, pip, apt or npm packages the lock records (or "base"), e.g. envctl lock --upgrade ${[...known].filter((k) => k !== 'base').slice(0, 3).join(' ')}`,
  })
}

/**
 * Frameworks not named stay at their locked versions, where the stack's range still allows them (a range
 * the user changed wins over the lock).
 */
function pinOtherFrameworks(spec: StackSpec, locked: Record<string, string>, named: Set<string>): StackSpec {
  const frameworks = { ...spec.frameworks }
  for (const req of frameworkRequests(spec)) {
    const version = locked[req.framework]
    if (named.has(req.framework) || !version || !req.range.test(version)) continue
    const key = Object.keys(frameworks).find((k) => frameworkOfKey(k) === req.framework) ?? req.framework
    frameworks[key] = version
  }
  return { ...spec, frameworks }
}

/**
 * `envctl lock --upgrade NAME…`: the named frameworks are resolved again (with the whole framework layer
 * released), the named packages are released, "base" drops the base digest; everything else keeps its
 * locked version.
 */
export function upgradeNamed(u: NamedUpgrade): LockedVariant {
  // "typing_extensions" is the pip name once normalised; "python3.11" an apt name only as written.
  const known = upgradeableNames(u.prev)
  const names = new Set(u.names.map((n) => (known.has(canonical(n)) || !known.has(n) ? canonical(n) : n)))
  const frameworks = Object.keys(u.prev.resolution.frameworks).filter((f) => names.has(f))
  const next = frameworks.length || !u.matches ? toLocked(u.resolve(pinOtherFrameworks(u.spec, u.prev.resolution.frameworks, names))) : u.prev.resolution
  const layer = frameworks.length ? frameworkLayer(u.prev.installed) : []
  const released = [...names].filter((n) => n !== 'base' && !frameworks.includes(n))
  const v = nextVariant(u.prev, next, [...released, ...layer])
  if (!names.has('base')) return v
  const { baseDigest: _d, baseDigestAbsent: _a, ...rest } = v
  return rest
}

/** The pins a named upgrade let go, as changes: `~ pip numpy: 2.2.6 → (next build)`. */
export function releasedChanges(prev: LockedVariant, next: LockedVariant): Change[] {
  const before = new Set(prev.installed?.unpinned ?? [])
  const set = next.installed
  if (!set) return prev.installed ? [{ key: 'installed', from: 'recorded', to: '(next build)' }] : []
  const tables: Array<[string, Record<string, string> | undefined]> = [['pip', set.pip], ['apt', set.apt], ['npm', set.npm]]
  return (set.unpinned ?? [])
    .filter((n) => !before.has(n))
    .flatMap((n) => tables.filter(([, t]) => t?.[n]).map(([k, t]) => ({ key: `${k}.${n}`, from: t![n]!, to: '(next build)' })))
}
