import { EnvctlError } from '../errors/envctl-error.js'
import { normalizeName } from '../resolvers/pep440.js'
import type { PipLayer } from '../resolvers/types.js'

/** One package of a pip installation report, as the lock records it. */
export interface ReportedPip {
  name: string
  version: string
  layer: PipLayer
  sha256?: string
  /** The direct reference (PEP 610) when it did not come from an index. */
  url?: string
  /** Why there is no sha256. */
  unhashed?: string
}

interface DownloadInfo {
  url?: string
  archive_info?: { hash?: string; hashes?: Record<string, string> }
  vcs_info?: { vcs?: string; commit_id?: string }
  dir_info?: unknown
}

interface ReportItem {
  metadata?: { name?: string; version?: string }
  download_info?: DownloadInfo
  is_direct?: boolean
}

const SHA256 = /^[a-f0-9]{64}$/

/** pip 23+ writes `hashes: {sha256}`; pip 22.2 only `hash: "sha256=…"`. */
function sha256Of(info: DownloadInfo | undefined): string | undefined {
  const archive = info?.archive_info
  const fromHash = archive?.hash?.startsWith('sha256=') ? archive.hash.slice('sha256='.length) : undefined
  const hash = archive?.hashes?.sha256 ?? fromHash
  return hash && SHA256.test(hash) ? hash : undefined
}

/** A direct reference pip can install again on another machine: a VCS commit or an archive URL. */
function directUrl(info: DownloadInfo): string | undefined {
  if (!info.url) return undefined
  if (info.vcs_info) return info.vcs_info.commit_id ? `${info.vcs_info.vcs ?? 'git'}+${info.url}@${info.vcs_info.commit_id}` : undefined
  return info.archive_info ? info.url : undefined
}

function whyUnhashed(item: ReportItem): string {
  const info = item.download_info ?? {}
  if (info.dir_info !== undefined) return `installed from a local folder (${info.url ?? 'unknown'}); other machines cannot install it from the lock`
  if (info.vcs_info) return 'installed from a version-control checkout, which has no file hash'
  return 'the package index gave no sha256 for it'
}

function entry(item: ReportItem, layer: PipLayer): ReportedPip | null {
  const name = item.metadata?.name
  const version = item.metadata?.version
  if (!name || !version) return null
  const sha256 = sha256Of(item.download_info)
  const url = item.is_direct && item.download_info ? directUrl(item.download_info) : undefined
  return { name: normalizeName(name), version, layer, ...(sha256 ? { sha256 } : { unhashed: whyUnhashed(item) }), ...(url ? { url } : {}) }
}

/**
 * The packages a `pip install --report` file lists (pip ≥ 22.2): what that one pip command installed, with
 * the sha256 the index gave for each file. Packages already installed by an earlier layer are not listed.
 */
export function parsePipReport(text: string, layer: PipLayer, file: string): ReportedPip[] {
  let report: { install?: ReportItem[] }
  try {
    report = JSON.parse(text) as { install?: ReportItem[] }
  } catch (e) {
    throw new EnvctlError('UNEXPECTED', `${file} is not a pip installation report: ${(e as Error).message}`)
  }
  if (!Array.isArray(report.install)) throw new EnvctlError('UNEXPECTED', `${file} is not a pip installation report: it has no "install" list`)
  return report.install.map((item) => entry(item, layer)).filter((e): e is ReportedPip => e !== null)
}
