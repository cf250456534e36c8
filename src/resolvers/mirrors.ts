import type { SourceLocation } from '../errors/envctl-error.js'
import type { MirrorsSpec, NetworkSpec } from '../stack/types.js'
import { where } from './explain.js'
import { maskUrl } from '../secrets/mask.js'
import type { PipSources, ResolvedStack } from './types.js'

const TORCH_WHL = 'https://download.pytorch.org/whl'

function viaMirror(url: string, mirror: string | undefined): string {
  if (!mirror || !url.startsWith(TORCH_WHL)) return url
  return mirror.replace(/\/+$/, '') + url.slice(TORCH_WHL.length)
}

function plainHttpHost(url: string): string | null {
  try {
    const u = new URL(url)
    return u.protocol === 'http:' ? u.hostname : null
  } catch {
    return null
  }
}

const uniq = (xs: string[]): string[] => [...new Set(xs)]

/** Mirrors replace PyPI and the PyTorch wheel host; plain-http hosts are trusted so pip caches from them. */
export function mirroredPipSources(s: PipSources, m: MirrorsSpec): PipSources {
  const extra = uniq([...(m.pipExtra ?? []), ...s.extraIndexUrls.map((u) => viaMirror(u, m.pytorch))])
  const findLinks = uniq([...(m.pipFindLinks ?? []), ...s.findLinks.map((u) => viaMirror(u, m.pytorch))])
  const indexUrl = m.pip ?? s.indexUrl
  const all = [indexUrl, ...extra, ...findLinks].filter((u): u is string => Boolean(u))
  const trusted = uniq([...s.trustedHosts, ...(m.pipTrustedHosts ?? []), ...all.map(plainHttpHost).filter((h): h is string => Boolean(h))]).sort()
  return { indexUrl, extraIndexUrls: extra, findLinks, trustedHosts: trusted }
}

const snake = (key: string): string => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)

/** One explain line per mirror and network setting: its value and the file and line (or user config) that set it. */
function describeSettings(table: 'mirrors' | 'network', values: MirrorsSpec | NetworkSpec, provenance: Record<string, SourceLocation>): ResolvedStack['explain'] {
  return Object.entries(values).filter(([, v]) => v !== undefined).map(([k, v]) => {
    const key = `${table}.${snake(k)}`
    const shown = Array.isArray(v) ? v.map((x) => maskUrl(String(x))).join(', ') : maskUrl(String(v))
    return { key, value: shown, because: `set${where({ provenance }, key) || ' by default'}; applied to the build and the environment, never written to envctl.lock` }
  })
}

/**
 * Applies where-to-download settings to a resolution. Kept apart from resolution so that a lock records
 * what is installed, never whose mirror it came from (mirrors are often personal: user config, CI).
 */
export function applyMirrors(r: ResolvedStack, mirrors: MirrorsSpec, network: NetworkSpec, provenance: Record<string, SourceLocation> = {}): ResolvedStack {
  const explain = [...r.explain, ...describeSettings('mirrors', mirrors, provenance), ...describeSettings('network', network, provenance)]
  return { ...r, pipSources: mirroredPipSources(r.pipSources, mirrors), mirrors: { ...mirrors }, network: { ...network }, explain }
}
