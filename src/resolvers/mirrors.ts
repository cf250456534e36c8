import type { MirrorsSpec, NetworkSpec } from '../stack/types.js'
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

/**
 * Applies where-to-download settings to a resolution. Kept apart from resolution so that a lock records
 * what is installed, never whose mirror it came from (mirrors are often personal: user config, CI).
 */
export function applyMirrors(r: ResolvedStack, mirrors: MirrorsSpec, network: NetworkSpec): ResolvedStack {
  return { ...r, pipSources: mirroredPipSources(r.pipSources, mirrors), mirrors: { ...mirrors }, network: { ...network } }
}
