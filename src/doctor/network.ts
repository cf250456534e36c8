import { readFileSync } from 'node:fs'
import type { MirrorsSpec, NetworkSpec } from '../stack/types.js'
import type { CheckResult, DoctorCheck, NetworkSettings } from './types.js'
import { formatLocation } from '../errors/envctl-error.js'
import { maskUrl } from '../secrets/mask.js'

export type { NetworkSettings, SettingsResult } from './types.js'
import { bypassesProxy, probeHttp, probeTcp, type ProbeResult } from './probe.js'

/** Mirrors and network settings in effect (project files over the user config), with where each was set. */
export const PROBE_TIMEOUT_MS = 3000

interface Endpoint {
  name: string
  /** The setting's key path, for "set at" and the fix. */
  key: string
  url: string
  /** Statuses that mean "answers as expected" besides 2xx/3xx (a registry's /v2/ asks for credentials). */
  alsoOk?: number[]
}

const trim = (url: string) => url.replace(/\/+$/, '')
const web = (url: string) => /^https?:\/\//i.test(url)

function registryUrl(registry: string): string {
  if (/^https?:\/\//i.test(registry)) return `${trim(registry)}/v2/`
  const host = registry.split('/')[0]
  const local = /^(localhost|127\.|\[::1\])/.test(host)
  return `${local ? 'http' : 'https'}://${host}/v2/`
}

/** What `doctor` asks of each configured endpoint: the pip index page, npm's /-/ping, a registry's /v2/. */
export function endpointsOf(m: MirrorsSpec): Endpoint[] {
  const out: Endpoint[] = []
  if (m.pip) out.push({ name: 'pip index', key: 'mirrors.pip', url: `${trim(m.pip)}/` })
  m.pipExtra?.forEach((u, i) => out.push({ name: 'pip extra index', key: `mirrors.pip_extra[${i}]`, url: `${trim(u)}/` }))
  m.pipFindLinks?.forEach((u, i) => web(u) && out.push({ name: 'pip find-links', key: `mirrors.pip_find_links[${i}]`, url: u }))
  if (m.pytorch) out.push({ name: 'pytorch wheels', key: 'mirrors.pytorch', url: `${trim(m.pytorch)}/cpu/` })
  if (m.apt) out.push({ name: 'apt mirror', key: 'mirrors.apt', url: `${trim(m.apt)}/` })
  if (m.npm) out.push({ name: 'npm registry', key: 'mirrors.npm', url: `${trim(m.npm)}/-/ping` })
  if (m.maven) out.push({ name: 'maven mirror', key: 'mirrors.maven', url: `${trim(m.maven)}/` })
  if (m.registry) out.push({ name: 'registry mirror', key: 'mirrors.registry', url: registryUrl(m.registry), alsoOk: [401] })
  return out.filter((e) => web(e.url))
}

function setAt(s: NetworkSettings, key: string): string {
  const loc = s.provenance[key] ?? s.provenance[key.replace(/\[\d+\]$/, '')]
  return loc ? formatLocation(loc) : 'the stack'
}

function proxyFor(url: string, n: NetworkSpec): string | undefined {
  const u = new URL(url)
  if (bypassesProxy(u.hostname, n.noProxy)) return undefined
  return u.protocol === 'https:' ? n.httpsProxy : n.httpProxy
}

function verdict(e: Endpoint, r: ProbeResult, s: NetworkSettings, proxy: string | undefined): CheckResult {
  const where = setAt(s, e.key)
  const name = e.name
  const url = maskUrl(e.url)
  const via = proxy ? ` through the proxy ${new URL(proxy).host}` : ''
  if (!r.ok) {
    const caSet = s.network.caBundle !== undefined
    const fix = r.tls
      ? caSet ? `network.ca_bundle (${setAt(s, 'network.ca_bundle')}) does not hold the CA that signed ${url}'s certificate` : `the server's certificate is not trusted: set network.ca_bundle to the CA that signed it (docs/CONFIG.md)`
      : `check ${e.key} (${where}), the proxy and the server: curl -sSI ${url}`
    return { name, status: 'fail', detail: `${url} did not answer${via}: ${r.error}${r.code ? ` (${r.code})` : ''}`, fix, code: 'NETWORK_CHECK_FAILED' }
  }
  const detail = `${url} answered HTTP ${r.status} in ${r.ms} ms${via} (${e.key}, ${where})`
  if (r.status < 400 || e.alsoOk?.includes(r.status)) return { name, status: 'ok', detail }
  if (r.status >= 500) return { name, status: 'fail', detail, fix: `the server fails; check it, or ${e.key} at ${where}`, code: 'NETWORK_CHECK_FAILED' }
  const fix = r.status === 401 || r.status === 403 ? 'it wants credentials: put them in the URL (percent-encoded) or in pip.conf/.npmrc' : `check the URL: ${e.key} at ${where}`
  return { name, status: 'warn', detail, fix }
}

async function proxyCheck(key: 'network.http_proxy' | 'network.https_proxy', url: string | undefined, s: NetworkSettings, timeoutMs: number): Promise<CheckResult[]> {
  if (!url) return []
  const u = new URL(url)
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80))
  const r = await probeTcp(u.hostname, port, timeoutMs)
  const name = key === 'network.http_proxy' ? 'http proxy' : 'https proxy'
  const shown = `${u.protocol}//${u.host}`
  if (r.ok) return [{ name, status: 'ok', detail: `${shown} accepts connections (${r.ms} ms; ${key}, ${setAt(s, key)})` }]
  return [{ name, status: 'fail', detail: `${shown} does not accept connections: ${r.error}`, fix: `check ${key} at ${setAt(s, key)}; is the proxy running and reachable from here?`, code: 'NETWORK_CHECK_FAILED' }]
}

function caCheck(s: NetworkSettings): { result: CheckResult[]; pem?: string } {
  const path = s.network.caBundle
  if (!path) return { result: [] }
  const where = setAt(s, 'network.ca_bundle')
  let pem: string
  try {
    pem = readFileSync(path, 'utf8')
  } catch (err) {
    return { result: [{ name: 'ca bundle', status: 'fail', detail: `cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, fix: `fix network.ca_bundle at ${where} (relative paths are relative to that file)`, code: 'NETWORK_CHECK_FAILED' }] }
  }
  const count = pem.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0
  if (count === 0) return { result: [{ name: 'ca bundle', status: 'fail', detail: `${path} holds no PEM certificate`, fix: 'convert a DER certificate with: openssl x509 -inform der -in ca.cer -out ca.pem', code: 'NETWORK_CHECK_FAILED' }] }
  const inImage = s.network.caInImage ? 'installed into images' : 'mounted into download steps only'
  return { result: [{ name: 'ca bundle', status: 'ok', detail: `${path}: ${count} certificate${count === 1 ? '' : 's'}, ${inImage} (${where})` }], pem }
}

/** Each configured proxy, CA bundle and mirror answers, with a short timeout; nothing when none is configured. */
export const networkCheck: DoctorCheck = async (ctx) => {
  if (!ctx.settings) return []
  const s = await ctx.settings()
  if ('error' in s) return [{ name: 'settings', status: 'warn', detail: `mirrors and proxies not checked: ${s.error.message}`, fix: s.error.hint }]
  const timeoutMs = ctx.probeTimeoutMs ?? PROBE_TIMEOUT_MS
  const ca = caCheck(s)
  const proxies = await Promise.all([proxyCheck('network.http_proxy', s.network.httpProxy, s, timeoutMs), proxyCheck('network.https_proxy', s.network.httpsProxy, s, timeoutMs)])
  const endpoints = await Promise.all(endpointsOf(s.mirrors).map(async (e) => {
    const proxy = proxyFor(e.url, s.network)
    return verdict(e, await probeHttp(e.url, { timeoutMs, ca: ca.pem, proxy }), s, proxy)
  }))
  return [...ca.result, ...proxies.flat(), ...endpoints]
}
