import type { ConfidenceMap } from '../../matrix/types.js'
import type { PipRequirement } from '../types.js'
import { satisfiesAll, type Requirement } from '../pep440.js'
import type { FrameworkRequest } from './types.js'

/** Does an exact version satisfy both the [frameworks] range and the pip pin of a request? */
export function versionAllowed(req: FrameworkRequest, version: string): boolean {
  if (!req.range.test(version)) return false
  return !req.pin || satisfiesAll(version, req.pin.specifiers.map((s) => ({ ...s, version: s.version.replace(/\+.*$/, '') })))
}

export function requirement(name: string, version: string, reason: PipRequirement['reason'], extras: string[] = []): PipRequirement {
  const extra = extras.length ? `[${extras.join(',')}]` : ''
  return { name, version, requirement: `${name}${extra}==${version}`, reason }
}

/** One line naming the facts this choice relies on that the data marks as not confirmed (only the fields used). */
export function caveatsFrom(what: string, confidence: ConfidenceMap | undefined, used: string[]): string[] {
  const weak = Object.entries(confidence ?? {}).filter(([field, c]) => used.includes(field) && (c === 'unconfirmed' || c === 'inferred'))
  if (!weak.length) return []
  return [`${what}: ${weak.map(([f, c]) => `${f} ${c}`).join(', ')} in the compatibility data (data/matrix/README.md)`]
}

export function extrasOf(req: Requirement | null): string[] {
  return req?.extras ?? []
}
