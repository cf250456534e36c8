/**
 * The slice of PEP 440 / PEP 508 that resolution needs: parse requirement strings as people write them
 * ("torch==2.0.1+cu118", "numpy>=1.26", "tensorflow[and-cuda]==2.15.*"), compare versions, match specifiers.
 * Local labels (+cu118) are compared as PEP 440 says: a specifier without one ignores the candidate's.
 */
export interface Requirement {
  /** Normalised name (PEP 503: lowercase, runs of -_. become -). */
  name: string
  extras: string[]
  specifiers: Specifier[]
  /** Environment marker text after `;`, kept verbatim. */
  marker: string | null
  raw: string
}

export interface Specifier {
  op: '==' | '!=' | '>=' | '<=' | '>' | '<' | '~=' | '==='
  version: string
}

const REQUIREMENT = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([A-Za-z0-9._,\s-]*)\])?\s*([^;]*?)\s*(?:;(.*))?$/
const SPECIFIER = /^(===|==|!=|>=|<=|~=|>|<)\s*([A-Za-z0-9.*+!_-]+)$/

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}

export function parseRequirement(raw: string): Requirement | null {
  const m = REQUIREMENT.exec(raw)
  if (!m) return null
  const specifiers: Specifier[] = []
  for (const part of m[3].split(',').map((s) => s.trim()).filter(Boolean)) {
    const sm = SPECIFIER.exec(part)
    if (!sm) return null
    specifiers.push({ op: sm[1] as Specifier['op'], version: sm[2] })
  }
  const extras = (m[2] ?? '').split(',').map((s) => s.trim()).filter(Boolean).sort()
  return { name: normalizeName(m[1]), extras, specifiers, marker: m[4]?.trim() || null, raw: raw.trim() }
}

export interface ParsedVersion {
  release: number[]
  /** Pre-release as [kind, n], kind a|b|rc; null for a final release. */
  pre: [string, number] | null
  post: number | null
  dev: number | null
  local: string | null
}

const VERSION = /^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|rc|alpha|beta|c)[-_.]?(\d*))?(?:[-_.]?(post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev(\d*))?(?:\+([a-z0-9.]+))?$/i

export function parseVersion(v: string): ParsedVersion | null {
  const m = VERSION.exec(v.trim())
  if (!m) return null
  const preKind = m[2] ? ({ alpha: 'a', beta: 'b', c: 'rc' } as Record<string, string>)[m[2].toLowerCase()] ?? m[2].toLowerCase() : null
  return {
    release: m[1].split('.').map(Number),
    pre: preKind ? [preKind, Number(m[3] || 0)] : null,
    post: m[4] ? Number(m[5] || 0) : null,
    dev: m[6] !== undefined ? Number(m[6] || 0) : null,
    local: m[7]?.toLowerCase() ?? null,
  }
}

function cmpRelease(a: number[], b: number[]): number {
  const n = Math.max(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0)
    if (d !== 0) return Math.sign(d)
  }
  return 0
}

const PRE_ORDER: Record<string, number> = { a: 0, b: 1, rc: 2 }

function preKey(v: ParsedVersion): number {
  if (v.pre) return PRE_ORDER[v.pre[0]] * 1e6 + v.pre[1]
  if (v.dev !== null && v.post === null) return -1
  return 1e9
}

/** Compares public versions (local labels ignored). */
export function comparePublic(a: ParsedVersion, b: ParsedVersion): number {
  return (
    cmpRelease(a.release, b.release) ||
    Math.sign(preKey(a) - preKey(b)) ||
    Math.sign((a.post ?? -1) - (b.post ?? -1)) ||
    Math.sign((a.dev ?? Number.MAX_SAFE_INTEGER) - (b.dev ?? Number.MAX_SAFE_INTEGER))
  )
}

export function compareVersions(a: string, b: string): number {
  const pa = parseVersion(a)
  const pb = parseVersion(b)
  if (!pa || !pb) return a.localeCompare(b)
  return comparePublic(pa, pb) || (pa.local ?? '').localeCompare(pb.local ?? '')
}

function matchesPrefix(v: ParsedVersion, pattern: string): boolean {
  const prefix = pattern.slice(0, -2).split('.').map(Number)
  return prefix.every((n, i) => (v.release[i] ?? 0) === n)
}

function matchesEq(v: ParsedVersion, want: string): boolean {
  if (want.endsWith('.*')) return matchesPrefix(v, want)
  const w = parseVersion(want)
  if (!w) return false
  if (w.local !== null && w.local !== v.local) return false
  return comparePublic(v, w) === 0
}

function matchesCompatible(v: ParsedVersion, want: string): boolean {
  const w = parseVersion(want)
  if (!w || w.release.length < 2) return false
  const prefix = w.release.slice(0, -1).join('.') + '.*'
  return comparePublic(v, w) >= 0 && matchesPrefix(v, prefix)
}

export function matchesSpecifier(version: string, s: Specifier): boolean {
  const v = parseVersion(version)
  if (!v) return s.op === '===' && version === s.version
  const w = parseVersion(s.version.replace(/\.\*$/, ''))
  switch (s.op) {
    case '===': return version === s.version
    case '==': return matchesEq(v, s.version)
    case '!=': return !matchesEq(v, s.version)
    case '~=': return matchesCompatible(v, s.version)
    default: {
      if (!w) return false
      const c = comparePublic(v, w)
      return s.op === '>=' ? c >= 0 : s.op === '<=' ? c <= 0 : s.op === '>' ? c > 0 : c < 0
    }
  }
}

export function satisfiesAll(version: string, specifiers: Specifier[]): boolean {
  return specifiers.every((s) => matchesSpecifier(version, s))
}

/** The local label a requirement pins, e.g. "cu118" from "torch==2.0.1+cu118". */
export function pinnedLocal(req: Requirement): string | null {
  const eq = req.specifiers.find((s) => s.op === '==' || s.op === '===')
  return eq ? parseVersion(eq.version)?.local ?? null : null
}

/** The exact version a requirement pins ("2.0.1" from "torch==2.0.1+cu118"), or null when it is a range. */
export function pinnedVersion(req: Requirement): string | null {
  const eq = req.specifiers.find((s) => (s.op === '==' && !s.version.endsWith('.*')) || s.op === '===')
  return eq ? eq.version.replace(/\+.*$/, '') : null
}
