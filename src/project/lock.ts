import { writeFileAtomicSync } from '../files/atomic-write.js'
import type { HostFacts } from '../host/types.js'
import type { Matrix } from '../matrix/types.js'
import type { StackSpec } from '../stack/types.js'
import type { ResolvedStack } from '../resolvers/types.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { resolveStack } from '../resolvers/resolve.js'
import { runtimeOf } from '../resolvers/runtime.js'
import { inputsHash } from '../lock/inputs.js'
import { serializeLock } from '../lock/serialize.js'
import { diffResolutions, type Change } from '../lock/diff.js'
import { LOCK_VERSION, type InstalledSet, type LockFile, type LockedResolution, type LockedVariant, type VariantName } from '../lock/types.js'
import { nextVariant, toLocked } from '../lock/variant.js'
import { diffInstalled } from '../lock/installed-diff.js'
import { checkUpgradeNames, releasedChanges, upgradeNamed } from './lock-upgrade.js'
import { plan, type Plan } from './plan.js'
import type { EnvctlPaths } from '../config/paths.js'
import { ENVCTL_VERSION } from '../version.js'

export interface LockResult {
  path: string
  /** What was written. */
  lock: LockFile
  written: boolean
  variants: VariantName[]
  changes: Record<string, Change[]>
  warnings: string[]
}

const GENERIC_GPU: Omit<HostFacts, 'uid' | 'gid' | 'platform' | 'arch'> = { gpuSource: 'flags', gpus: [], driver: null, driverCuda: null, forceCpu: false }

/** The GPU variant for this host when it has GPUs, else for a generic current GPU machine. */
function resolveVariant(spec: StackSpec, matrix: Matrix, host: HostFacts, variant: VariantName): ResolvedStack {
  if (variant === 'cpu') return { ...resolveStack({ ...spec, gpu: { ...spec.gpu, mode: 'none' } }, matrix, host), gpuMode: spec.gpu.mode }
  const gpuHost = host.gpus.length ? host : { ...host, ...GENERIC_GPU }
  return { ...resolveStack({ ...spec, gpu: { ...spec.gpu, mode: 'required' } }, matrix, gpuHost), gpuMode: spec.gpu.mode }
}

/** What a build recorded for the variant it built: the base digest and the installed set. */
export interface BuiltVariant extends Omit<LockedVariant, 'resolution'> {
  variant: VariantName
  installed: InstalledSet
}

export interface LockInput {
  ref?: string
  cwd: string
  host: HostFacts
  /** Resolve again: everything, or with `packages` only those (frameworks, pip/apt/npm names, "base"). */
  upgrade?: boolean
  packages?: string[]
  /** Record what a build installed (envctl up), replacing that variant's build facts. */
  built?: BuiltVariant
  paths?: EnvctlPaths
  /** The stack as the caller already loaded it (same sources, same lock), so it is not read twice in one run. */
  loaded?: Pick<Plan, 'spec' | 'matrix' | 'lock' | 'lockPath'>
}

/** The services' pinned images stay through a re-lock (an up records them); `lock --upgrade` lets the next up pin them anew. */
function keptServices(prev: LockFile | null, upgradeAll: boolean): Pick<LockFile, 'services'> {
  return prev?.services && !upgradeAll ? { services: prev.services } : {}
}

/** The same change can show in the resolution and in the installed set (a pin moved): say it once. */
function unique(changes: Change[]): Change[] {
  return [...new Map(changes.map((c) => [JSON.stringify(c), c])).values()]
}

/** The build facts go with the resolution the lock keeps for that variant (never the mirrored one built). */
function recordBuilt(variants: LockFile['variants'], changes: Record<string, Change[]>, prev: LockFile | null, built: BuiltVariant, resolution: LockedResolution): void {
  const { variant, ...facts } = built
  const before = prev?.variants[variant]
  variants[variant] = { resolution, ...facts }
  changes[variant] = unique([...diffResolutions(before?.resolution ?? null, resolution), ...(before?.installed ? diffInstalled(before, variants[variant]) : [])])
}

/**
 * Resolves the CPU and (unless gpu.mode = "none") GPU variants and writes envctl.lock beside the stack file.
 * A lock that still matches the stack keeps its versions unless `upgrade` is set; a changed stack keeps the
 * recorded versions it does not touch.
 */
export function writeLock(input: LockInput): LockResult {
  const named = input.upgrade ? (input.packages ?? []) : []
  const upgradeAll = Boolean(input.upgrade) && named.length === 0
  // Git sources stay at their pinned commits unless --upgrade, which moves them to where their refs point now.
  const p = input.loaded && !upgradeAll ? input.loaded : plan({ ...input, upgrade: true, keepSources: !upgradeAll })
  if (!p.lockPath) throw new EnvctlError('USAGE', `a built-in stack has no lock; lock a project file instead`, { hint: `envctl init ${p.spec.name} && envctl lock` })
  const names: VariantName[] = p.spec.gpu.mode === 'none' || runtimeOf(p.spec) !== 'python' ? ['cpu'] : ['cpu', 'gpu']
  const variants: LockFile['variants'] = {}
  const changes: Record<string, Change[]> = {}
  const warnings: string[] = []
  const matches = p.lock?.inputs === inputsHash(p.spec)
  if (named.length) checkUpgradeNames(named, Object.values(p.lock?.variants ?? {}).filter((x): x is LockedVariant => x !== undefined))
  const unchanged = !input.upgrade && matches
  for (const v of names) {
    const prior = p.lock?.variants[v]
    if (named.length && prior) {
      variants[v] = upgradeNamed({ spec: p.spec, prev: prior, matches, names: named, resolve: (spec) => resolveVariant(spec, p.matrix, input.host, v) })
      changes[v] = [...diffResolutions(prior.resolution, variants[v].resolution), ...releasedChanges(prior, variants[v])]
      continue
    }
    const kept = unchanged ? p.lock?.variants[v] : undefined
    if (kept) {
      variants[v] = kept
      changes[v] = []
      continue
    }
    const r = resolveVariant(p.spec, p.matrix, input.host, v)
    warnings.push(...r.warnings)
    const prev = upgradeAll ? undefined : prior
    const next = toLocked(r)
    changes[v] = diffResolutions(prior?.resolution ?? null, next)
    variants[v] = nextVariant(prev, next)
  }
  if (input.built) {
    const v = input.built.variant
    recordBuilt(variants, changes, p.lock, input.built, variants[v]?.resolution ?? toLocked(resolveVariant(p.spec, p.matrix, input.host, v)))
  }
  const lock: LockFile = { lockVersion: LOCK_VERSION, envctl: ENVCTL_VERSION, matrix: p.matrix.index.version, stack: p.spec.name, inputs: inputsHash(p.spec), ...(p.spec.sources ? { sources: p.spec.sources } : {}), variants, ...keptServices(p.lock, upgradeAll) }
  writeFileAtomicSync(p.lockPath, serializeLock(lock))
  return { path: p.lockPath, lock, written: true, variants: names, changes, warnings: [...new Set(warnings)] }
}
