import semver from 'semver'

/**
 * User-facing version ranges, as written in stack files: "~2.3", ">=2.0", "2.3" (any 2.3.x), "3.11",
 * ">=3.10,<3.13", "^2", "==2.3.1", "~=2.3", "*". Candidates are release numbers from the matrix
 * ("2.3.1", "2.15", "3.11"), compared as semver after padding to three parts.
 */
export interface VersionRange {
  raw: string
  test(version: string): boolean
}

export function toSemver(version: string): string | null {
  const core = version.replace(/\+.*$/, '')
  if (!/^\d+(\.\d+){0,2}$/.test(core)) return semver.valid(semver.coerce(core)) ?? null
  const parts = core.split('.')
  while (parts.length < 3) parts.push('0')
  return parts.map(Number).join('.')
}

function compatibleRelease(v: string): string {
  const parts = v.split('.')
  const upper = parts.slice(0, -1)
  upper[upper.length - 1] = String(Number(upper[upper.length - 1]) + 1)
  return `>=${v} <${upper.join('.')}`
}

/** Translates PEP 440-isms people also type into a semver range; null when it cannot be read. */
export function toSemverRange(raw: string): string | null {
  const parts = raw.split(',').map((p) => p.trim()).filter(Boolean)
  const out = parts.map((p) => {
    if (p.startsWith('~=')) return compatibleRelease(p.slice(2).trim())
    if (p.startsWith('==')) return p.slice(2).trim()
    if (p.startsWith('!=')) return `<${p.slice(2).trim()} || >${p.slice(2).trim()}`
    return p
  })
  const range = out.join(' ') || '*'
  return semver.validRange(range) ? range : null
}

export function parseRange(raw: string): VersionRange | null {
  const range = toSemverRange(raw)
  if (range === null) return null
  return {
    raw,
    test: (version) => {
      const v = toSemver(version)
      return v !== null && semver.satisfies(v, range)
    },
  }
}

export const ANY: VersionRange = { raw: '*', test: () => true }

/** "3.11" < "3.9" as numbers, not strings. */
export function compareLoose(a: string, b: string): number {
  const sa = toSemver(a)
  const sb = toSemver(b)
  if (sa && sb) return semver.compare(sa, sb)
  return a.localeCompare(b)
}

/** Same major.minor? ("12.6.3" and "12.6" → true) */
export function sameMinor(a: string, b: string): boolean {
  const [ma, na] = a.split('.')
  const [mb, nb] = b.split('.')
  return ma === mb && (na ?? '0') === (nb ?? '0')
}

export function majorMinor(v: string): string {
  const [a, b] = v.split('.')
  return `${a}.${b ?? '0'}`
}
