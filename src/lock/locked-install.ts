import type { LockedInstall, ResolvedStack } from '../resolvers/types.js'
import { pinsOf } from './installed.js'
import type { LockedVariant } from './types.js'

function without(table: Record<string, string> | undefined, released: Set<string>): Record<string, string> {
  return Object.fromEntries(Object.entries(table ?? {}).filter(([name]) => !released.has(name)))
}

/** The pins a build takes from a locked variant; undefined before a build recorded the installed set. */
export function lockedInstall(v: LockedVariant): LockedInstall | undefined {
  const set = v.installed
  if (!set) return undefined
  const released = new Set(set.unpinned ?? [])
  const pins = pinsOf(set)
  return {
    pip: pins.filter((p) => !released.has(p.name)),
    releasedPip: pins.filter((p) => released.has(p.name)),
    apt: without(set.apt, released),
    npm: without(set.npm, released),
  }
}

/** A resolution built as the lock says: FROM the recorded digest, packages at the recorded versions. */
export function withLockedVariant(r: ResolvedStack, v: LockedVariant): ResolvedStack {
  const locked = lockedInstall(v)
  const base = v.baseDigest ? { ...r.base, digest: v.baseDigest } : r.base
  return { ...r, base, ...(locked ? { locked } : {}) }
}
