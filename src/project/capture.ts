import type { Engine } from '../engine/engine.js'
import type { PipLayer, ResolvedStack } from '../resolvers/types.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { parsePipReport, type ReportedPip } from '../lock/pip-report.js'
import { addedPackages, parseDpkgStatus } from '../lock/dpkg-status.js'
import { parseNpmList } from '../lock/npm-list.js'
import { installedSet } from '../lock/installed.js'
import type { InstalledSet } from '../lock/types.js'
import { needsPython, pythonAptPackages, REPORT_DIR } from '../render/python.js'
import { npmPackageName } from '../stack/formats/packages.js'
import { pickBaseDigest } from './base-digest.js'
import { repoOf } from '../environment/image/image.js'

/** What a built image says it has, for envctl.lock. */
export interface CapturedFacts {
  baseDigest?: string
  baseDigestAbsent?: string
  installed: InstalledSet
  warnings: string[]
}

/** Containers envctl creates only to read files from an image; never started, removed at once. */
export const PROBE_LABEL = 'dev.envctl.probe'
const DPKG_STATUS = '/var/lib/dpkg/status'

async function readOptional(engine: Engine, id: string, path: string): Promise<string | null> {
  try {
    return (await engine.readFile(id, path)).toString('utf8')
  } catch (e) {
    if (e instanceof EnvctlError && e.code === 'NOT_FOUND') return null
    throw e
  }
}

/** Reads files from an image through a created (never started) container, then removes it. */
async function readFromImage(engine: Engine, image: string, paths: string[]): Promise<Map<string, string | null>> {
  const id = await engine.createContainer({ image, cmd: ['true'], labels: { [PROBE_LABEL]: 'lock' } })
  try {
    const out = new Map<string, string | null>()
    for (const p of paths) out.set(p, await readOptional(engine, id, p))
    return out
  } finally {
    await engine.removeContainer(id, { force: true })
  }
}

const REPORTS: Array<[PipLayer, string]> = [
  ['framework', ''],
  ['framework', '-nohash'],
  ['tooling', ''],
  ['tooling', '-nohash'],
  ['user', ''],
  ['user', '-nohash'],
]
const reportPath = (layer: PipLayer, suffix: string) => `${REPORT_DIR}/pip-report-${layer}${suffix}.json`

function pipFrom(files: Map<string, string | null>, warnings: string[], r: ResolvedStack): ReportedPip[] {
  const found = REPORTS.filter(([l, s]) => files.get(reportPath(l, s)))
  if (needsPython(r) && r.pip.length > 0 && found.length === 0) {
    warnings.push("the image's pip wrote no installation report (pip older than 22.2): envctl.lock records no pip versions for it")
  }
  return found.flatMap(([l, s]) => parsePipReport(files.get(reportPath(l, s))!, l, reportPath(l, s)))
}

function npmFrom(files: Map<string, string | null>, warnings: string[], r: ResolvedStack): Record<string, string> | undefined {
  if (r.npm.length === 0) return undefined
  const list = parseNpmList(files.get(`${REPORT_DIR}/npm.json`) ?? '', r.npm.map(npmPackageName))
  if (list === null) warnings.push('npm wrote no list of global packages: envctl.lock records no npm versions')
  return list ?? undefined
}

async function aptFrom(engine: Engine, r: ResolvedStack, status: string | null, warnings: string[]): Promise<Record<string, string>> {
  if (r.apt.length === 0 && pythonAptPackages(r).length === 0) return {}
  if (status === null) return warnings.push(`the image has no ${DPKG_STATUS}: envctl.lock records no apt versions`), {}
  const base = (await engine.imageExists(baseRef(r))) ? (await readFromImage(engine, baseRef(r), [DPKG_STATUS])).get(DPKG_STATUS) : null
  if (!base) warnings.push(`the base image ${r.base.image} is not here to compare with: envctl.lock records every Debian package of the image`)
  return addedPackages(base ? parseDpkgStatus(base) : {}, parseDpkgStatus(status))
}

function baseRef(r: ResolvedStack): string {
  return r.base.digest ? `${repoOf(r.base.image)}@${r.base.digest}` : r.base.image
}

async function baseDigest(engine: Engine, r: ResolvedStack): Promise<Pick<CapturedFacts, 'baseDigest' | 'baseDigestAbsent'>> {
  if (r.base.digest) return { baseDigest: r.base.digest }
  const mirrors = [...(r.mirrors.registry ? [r.mirrors.registry] : []), ...(await engine.info()).registryMirrors]
  const image = (await engine.imageExists(r.base.image)) ? await engine.inspectImage(r.base.image) : null
  const digest = image ? pickBaseDigest(r.base.image, image.repoDigests, mirrors) : undefined
  if (digest) return { baseDigest: digest }
  const why = image ? 'it came from a local image store, without a registry digest' : 'the image is no longer in the engine'
  return { baseDigestAbsent: `${r.base.image}: ${why}; a moved tag can change the build (pull it from a registry and run \`envctl lock --upgrade base\`)` }
}

/**
 * What a built image holds, for envctl.lock: the base image's digest, the pip packages each layer's
 * installation report lists (with their sha256), the Debian packages the apt step added (the image's
 * dpkg status against the base's), and the global npm packages asked for.
 */
export async function captureFacts(engine: Engine, image: string, r: ResolvedStack): Promise<CapturedFacts> {
  const warnings: string[] = []
  const files = await readFromImage(engine, image, [...REPORTS.map(([l, s]) => reportPath(l, s)), DPKG_STATUS, `${REPORT_DIR}/npm.json`])
  const pip = pipFrom(files, warnings, r)
  const apt = await aptFrom(engine, r, files.get(DPKG_STATUS) ?? null, warnings)
  const npm = npmFrom(files, warnings, r)
  const digest = await baseDigest(engine, r)
  if (digest.baseDigestAbsent) warnings.push(`no digest for the base image ${digest.baseDigestAbsent}`)
  return { ...digest, installed: installedSet(pip, apt, npm), warnings }
}
