import type { Matrix } from '../matrix/types.js'
import type { PipRequirement, ResolvedStack } from '../resolvers/types.js'
import { compareVersions, parseRequirement, pinnedVersion } from '../resolvers/pep440.js'
import { ANY } from '../resolvers/version-range.js'
import { frameworkRequests } from '../resolvers/frameworks/requests.js'
import { torchCandidates } from '../resolvers/frameworks/torch.js'
import { tensorflowCandidates } from '../resolvers/frameworks/tensorflow.js'
import { mxnetCandidates } from '../resolvers/frameworks/mxnet.js'
import type { FrameworkName, FrameworkRequest } from '../resolvers/frameworks/types.js'
import { isFrameworkRequirement } from '../render/python.js'
import { newest, versionsOnPage } from '../lock/index-page.js'
import { plan, type PlanInput } from './plan.js'

export interface OutdatedRow {
  kind: 'framework' | 'pip'
  name: string
  /** The version envctl.lock holds (or the stack pins), null when neither says. */
  locked: string | null
  /** Newest version the stack's range or requirement allows. */
  wanted: string | null
  /** Newest version there is, in range or not. */
  latest: string | null
  status: 'outdated' | 'current' | 'not locked' | 'offline' | 'not found' | 'error'
  /** Where the versions came from, or why they could not be read. */
  source: string
}

export interface OutdatedResult {
  index: string
  rows: OutdatedRow[]
}

/** Fetches a page; resolves with the HTTP status and body, rejects when the server cannot be reached. */
export type PageFetcher = (url: string, signal: AbortSignal) => Promise<{ status: number; text: string }>

export interface OutdatedInput extends PlanInput {
  fetchPage?: PageFetcher
  /** Per package; the index is asked for every package at once. */
  timeoutMs?: number
}

const PYPI = 'https://pypi.org/simple'

const httpFetcher: PageFetcher = async (url, signal) => {
  const res = await fetch(url, { signal, headers: { accept: 'text/html' } })
  return { status: res.status, text: await res.text() }
}

function frameworkVersions(req: FrameworkRequest, matrix: Matrix): string[] {
  const all = { ...req, range: ANY, pin: null }
  const fns: Record<FrameworkName, typeof torchCandidates> = { pytorch: torchCandidates, tensorflow: tensorflowCandidates, mxnet: mxnetCandidates }
  return [...new Set(fns[req.framework](all, matrix).map((c) => c.version))].sort((a, b) => compareVersions(b, a))
}

function status(locked: string | null, latest: string | null): OutdatedRow['status'] {
  if (!locked) return 'not locked'
  if (!latest) return 'not found'
  return compareVersions(latest, locked) > 0 ? 'outdated' : 'current'
}

/** Framework releases the compatibility data knows, newer than the locked ones, in the stack's range and not. */
function frameworkRows(p: ReturnType<typeof plan>): OutdatedRow[] {
  const requests = frameworkRequests(p.spec)
  return Object.entries(p.resolved.frameworks).map(([fw, locked]) => {
    const req = requests.find((r) => r.framework === fw)
    const versions = req ? frameworkVersions(req, p.matrix) : []
    const wanted = versions.find((v) => req?.range.test(v)) ?? null
    const latest = versions[0] ?? null
    return { kind: 'framework', name: fw, locked, wanted, latest, status: status(locked, latest), source: `compatibility data ${p.matrix.index.version}` }
  })
}

function lockedVersion(r: ResolvedStack, req: PipRequirement): string | null {
  const name = parseRequirement(req.requirement)?.name ?? req.name
  const pin = [...(r.locked?.pip ?? []), ...(r.locked?.releasedPip ?? [])].find((p) => p.name === name)
  const parsed = parseRequirement(req.requirement)
  return pin?.version ?? (parsed ? pinnedVersion(parsed) : null)
}

async function pipRow(index: string, r: ResolvedStack, req: PipRequirement, fetchPage: PageFetcher, timeoutMs: number): Promise<OutdatedRow> {
  const parsed = parseRequirement(req.requirement)
  const name = parsed?.name ?? req.name
  const locked = lockedVersion(r, req)
  const url = `${index.replace(/\/+$/, '')}/${name}/`
  const row = { kind: 'pip' as const, name, locked, wanted: null, latest: null }
  try {
    const page = await fetchPage(url, AbortSignal.timeout(timeoutMs))
    if (page.status === 404) return { ...row, status: 'not found', source: `${url}: HTTP 404` }
    if (page.status !== 200) return { ...row, status: 'error', source: `${url}: HTTP ${page.status}` }
    const versions = versionsOnPage(page.text, name)
    const latest = newest(versions)
    return { ...row, wanted: newest(versions, parsed?.specifiers ?? []), latest, status: status(locked, latest), source: url }
  } catch (e) {
    const why = (e as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : ((e as { cause?: Error }).cause?.message ?? (e as Error).message)
    return { ...row, status: 'offline', source: `${url}: ${why}` }
  }
}

/**
 * What is newer than the lock: framework releases from the compatibility data, and for every top-level
 * pip requirement the versions the configured index offers (its PEP 503 page). An index that cannot be
 * reached is reported per package, never as a failure.
 */
export async function outdated(input: OutdatedInput): Promise<OutdatedResult> {
  const p = plan(input)
  const index = p.resolved.pipSources.indexUrl ?? PYPI
  const reqs = p.resolved.pip.filter((req) => !isFrameworkRequirement(req))
  const fetchPage = input.fetchPage ?? httpFetcher
  const pip = await Promise.all(reqs.map((req) => pipRow(index, p.resolved, req, fetchPage, input.timeoutMs ?? 10_000)))
  return { index, rows: [...frameworkRows(p), ...pip] }
}
