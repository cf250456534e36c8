import type { HostFacts } from '../host/types.js'
import type { Matrix } from '../matrix/types.js'
import type { StackSpec } from '../stack/types.js'
import type { ResolvedStack } from '../resolvers/types.js'
import type { UserConfig } from '../config/user-config.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { loadMatrix } from '../matrix/load.js'
import { describeInputs } from '../resolvers/explain.js'
import { resolveStack } from '../resolvers/resolve.js'
import { decideGpu } from '../resolvers/runtime.js'
import { applyMirrors } from '../resolvers/mirrors.js'
import { inputsHash } from '../lock/inputs.js'
import { checkLockedOnHost } from '../lock/locked-host-check.js'
import { diffResolutions, renderChanges } from '../lock/diff.js'
import { LOCK_FILE, type LockFile, type LockedResolution, type LockedVariant, type VariantName } from '../lock/types.js'
import { nextVariant, releasedBy, toLocked } from '../lock/variant.js'
import { withLockedVariant } from '../lock/locked-install.js'
import { loadPlanStack, type StackInput } from './plan-stack.js'

export interface PlanInput extends StackInput {
  host: HostFacts
  /** Ignore the lock and resolve afresh. */
  upgrade?: boolean
  /** Fail instead of re-resolving when the lock does not match the stack. */
  frozen?: boolean
}

/** The stack as read from its files (and git), with the lock beside it and the matrix: the I/O half of a plan. */
export interface LoadedPlan {
  spec: StackSpec
  userConfig: UserConfig | null
  pins: Record<string, string>
  lockPath: string | null
  lock: LockFile | null
  matrix: Matrix
}

export type LockStatus = 'none' | 'used' | 'stale' | 'missing-variant'

export interface Plan {
  spec: StackSpec
  matrix: Matrix
  resolved: ResolvedStack
  variant: VariantName
  /** Path of the project's lock file, or null when the stack is a built-in used directly. */
  lockPath: string | null
  lock: LockFile | null
  lockStatus: LockStatus
  /** The user config that was merged below the stack, when there is one. */
  userConfig: UserConfig | null
  /** The host it was resolved for. */
  host: HostFacts
}

function fromLock(v: LockedVariant, matrix: Matrix, host: HostFacts, spec: StackSpec): ResolvedStack {
  const warnings = checkLockedOnHost(v.resolution, matrix, host)
  const r: ResolvedStack = withLockedVariant({ ...v.resolution, mirrors: {}, network: {}, warnings, explain: [] }, v)
  const lockLine = { key: 'lock', value: LOCK_FILE, because: 'the lock matches the stack file; every version, the CUDA build and the base image come from it (envctl lock --upgrade re-resolves)' }
  return { ...r, explain: [lockLine, ...describeInputs(spec, r)] }
}

function notRecorded(variant: VariantName): string {
  return `${LOCK_FILE} records no installed set for the ${variant} variant yet, so packages are resolved afresh: run \`envctl up\` once without --frozen and commit ${LOCK_FILE}`
}

/** Which commit each git source was read at, and why that one. */
function describeSources(spec: StackSpec, pins: Record<string, string>): ResolvedStack['explain'] {
  return Object.entries(spec.sources ?? {}).map(([key, commit]) => ({
    key: 'extends',
    value: `${key} @ ${commit.slice(0, 12)}`,
    because: pins[key] === commit ? `pinned by ${LOCK_FILE} (envctl lock --upgrade moves it)` : 'where the ref points now (envctl lock pins it)',
  }))
}

/** The recorded versions a change would let move, as `pip numpy 2.2.6`. */
function releasedPins(prev: LockedVariant | undefined, next: LockedResolution): string {
  if (!prev?.installed) return ''
  const released = releasedBy(prev, next)
  const set = prev.installed
  if (released === 'all') return '\nthe base image or python changed: every recorded package version would be resolved again'
  const lines = [...released].sort().flatMap((n) => [['pip', set.pip[n]], ['apt', set.apt[n]], ['npm', set.npm?.[n]]].filter(([, v]) => v).map(([k, v]) => `${k} ${n} ${v}`))
  return lines.length ? `\nrecorded versions that would be resolved again: ${lines.join(', ')}` : ''
}

function frozenError(lockPath: string, lock: LockFile, fresh: ResolvedStack, variant: VariantName): EnvctlError {
  const prev = lock.variants[variant]
  const next = toLocked(fresh)
  const diff = renderChanges(diffResolutions(prev?.resolution ?? null, next)) + releasedPins(prev, next)
  return new EnvctlError('LOCK_DRIFT', `${lockPath} does not match the stack file (--frozen):\n${diff || '(inputs changed; resolution identical)'}`, {
    hint: 'run `envctl lock` and commit envctl.lock, or drop --frozen to update it',
  })
}

/** Stack → exact resolution, through the lock when one matches: the one path every command takes. */
export function plan(input: PlanInput): Plan {
  return resolvePlan(loadPlan(input), input)
}

/** Reads the stack, its lock and the matrix. */
export function loadPlan(input: StackInput & { upgrade?: boolean }): LoadedPlan {
  const loaded = loadPlanStack({ ...input, keepSources: input.keepSources ?? !input.upgrade })
  return { ...loaded, matrix: loadMatrix() }
}

/** Resolves a loaded stack for a host: pure, so a run can resolve again for another host without reading files. */
export function resolvePlan(loaded: LoadedPlan, input: Pick<PlanInput, 'host' | 'upgrade' | 'frozen'>): Plan {
  const { spec, userConfig, pins, lockPath, lock, matrix } = loaded
  const host = input.host
  const sourceLines = describeSources(spec, pins)
  const variant: VariantName = decideGpu(spec, host).gpu ? 'gpu' : 'cpu'
  const locked = lock?.variants[variant]
  const matches = lock !== null && lock.inputs === inputsHash(spec)
  if (matches && locked && !input.upgrade) {
    const resolved = lockedResolution(locked, matrix, host, spec, sourceLines)
    if (input.frozen && !locked.installed) resolved.warnings.push(notRecorded(variant))
    return { spec, matrix, resolved, variant, lockPath, lock, lockStatus: 'used', userConfig, host }
  }
  if (input.frozen && lockPath && !lock) {
    throw new EnvctlError('LOCK_DRIFT', `no ${LOCK_FILE} next to ${spec.chain[spec.chain.length - 1]} (--frozen)`, { hint: 'run `envctl lock` and commit envctl.lock' })
  }
  const fresh = resolveStack(spec, matrix, host)
  if (input.frozen && lock && lockPath && !input.upgrade) throw frozenError(lockPath, lock, fresh, variant)
  const lockStatus: LockStatus = !lock ? 'none' : matches ? 'missing-variant' : 'stale'
  // A changed stack keeps every recorded version the change does not touch (envctl lock would write the same).
  const kept = lockStatus === 'stale' && locked && !input.upgrade ? withLockedVariant(fresh, nextVariant(locked, toLocked(fresh))) : fresh
  const resolved = applyMirrors(kept, spec.mirrors, spec.network, spec.provenance)
  return { spec, matrix, resolved: { ...resolved, explain: [...sourceLines, ...resolved.explain] }, variant, lockPath, lock, lockStatus, userConfig, host }
}

function lockedResolution(locked: LockedVariant, matrix: Matrix, host: HostFacts, spec: StackSpec, sourceLines: ResolvedStack['explain']): ResolvedStack {
  const resolved = applyMirrors(fromLock(locked, matrix, host, spec), spec.mirrors, spec.network, spec.provenance)
  return { ...resolved, explain: [...sourceLines, ...resolved.explain] }
}

/**
 * The plan as it reads once `lock` (just written for this stack) is in place: what the next run will plan,
 * derived without loading the stack again.
 */
export function withWrittenLock(p: Plan, lock: LockFile): Plan {
  const locked = lock.variants[p.variant]
  if (!locked) return p
  const sourceLines = describeSources(p.spec, lock.sources ?? {})
  return { ...p, lock, lockStatus: 'used', resolved: lockedResolution(locked, p.matrix, p.host, p.spec, sourceLines) }
}
