import type { Engine } from '../engine/engine.js'
import type { HostFacts } from '../host/types.js'
import type { EnvctlPaths } from '../config/paths.js'
import { renderChanges } from '../lock/diff.js'
import type { InstalledSet, LockFile } from '../lock/types.js'
import type { Plan } from './plan.js'
import { writeLock } from './lock.js'
import { captureFacts } from './capture.js'

export interface LockTarget {
  ref?: string
  cwd: string
  host: HostFacts
  paths?: EnvctlPaths
}

export interface Recorded {
  /** The lock as written. */
  lock: LockFile
  /** What changed in envctl.lock, for the user. */
  notes: string[]
  warnings: string[]
  summary: string
}

export { lockSkip } from './lock-skip.js'

function counts(set: InstalledSet): string {
  const pip = Object.keys(set.pip).length
  const hashed = Object.keys(set.pipSha256 ?? {}).length
  const parts = [`${pip} pip (${hashed} with sha256)`, `${Object.keys(set.apt).length} apt`, ...(set.npm ? [`${Object.keys(set.npm).length} npm`] : [])]
  return `${parts.join(', ')} packages`
}

/**
 * After a build: reads what the image holds and writes it into envctl.lock for the variant built, so that
 * every later build (here or on another machine) installs exactly that.
 */
export async function recordLock(engine: Engine, image: string, p: Plan, target: LockTarget): Promise<Recorded> {
  const { warnings, ...facts } = await captureFacts(engine, image, p.resolved)
  const before = p.lock?.variants[p.variant]
  const res = writeLock({ ...target, built: { variant: p.variant, ...facts }, loaded: p })
  const summary = `${facts.baseDigest ? `base ${facts.baseDigest.slice(0, 19)}…` : 'base without digest'}, ${counts(facts.installed)}`
  const changes = res.changes[p.variant] ?? []
  const note = !before?.installed
    ? `${p.lock ? 'recorded in' : 'wrote'} ${res.path}: ${summary}`
    : changes.length
      ? `updated ${res.path}:\n${renderChanges(changes)}`
      : `${res.path}: installed set unchanged`
  return { lock: res.lock, notes: [note], warnings, summary }
}
