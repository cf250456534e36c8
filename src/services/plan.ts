import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { HostFacts } from '../host/types.js'
import type { Matrix } from '../matrix/types.js'
import type { StackSpec } from '../stack/types.js'
import type { ResolvedStack } from '../resolvers/types.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { loadMatrix } from '../matrix/load.js'
import { loadProjectStack, loadStack } from '../stack/load.js'
import { defaultBuiltinDir } from '../stack/stack-ref.js'
import { resolveStack } from '../resolvers/resolve.js'
import { decideGpu } from '../resolvers/runtime.js'
import { applyMirrors } from '../resolvers/mirrors.js'
import { inputsHash } from '../lock/inputs.js'
import { parseLock } from '../lock/serialize.js'
import { checkLockedOnHost } from '../lock/locked-host-check.js'
import { diffResolutions, renderChanges } from '../lock/diff.js'
import { LOCK_FILE, type LockFile, type LockedResolution, type VariantName } from '../lock/types.js'

export interface PlanInput {
  /** Built-in name, file or folder; absent: the project's envctl.toml in cwd. */
  ref?: string
  cwd: string
  host: HostFacts
  /** Ignore the lock and resolve afresh. */
  upgrade?: boolean
  /** Fail instead of re-resolving when the lock does not match the stack. */
  frozen?: boolean
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
}

function projectDir(spec: StackSpec): string | null {
  const top = spec.chain[spec.chain.length - 1]
  if (!top || top.startsWith(defaultBuiltinDir())) return null
  return dirname(top)
}

function readLock(path: string | null): LockFile | null {
  if (!path || !existsSync(path)) return null
  return parseLock(readFileSync(path, 'utf8'), path)
}

function fromLock(locked: LockedResolution, matrix: Matrix, host: HostFacts): ResolvedStack {
  const warnings = checkLockedOnHost(locked, matrix, host)
  return { ...locked, mirrors: {}, network: {}, warnings, explain: [{ key: 'lock', value: LOCK_FILE, because: 'the lock matches the stack file; every value comes from it (envctl lock --upgrade re-resolves)' }] }
}

function frozenError(lockPath: string, lock: LockFile, fresh: ResolvedStack, variant: VariantName): EnvctlError {
  const diff = renderChanges(diffResolutions(lock.variants[variant]?.resolution ?? null, fresh))
  return new EnvctlError('LOCK_DRIFT', `${lockPath} does not match the stack file (--frozen):\n${diff || '(inputs changed; resolution identical)'}`, {
    hint: 'run `envctl lock` and commit envctl.lock, or drop --frozen to update it',
  })
}

/** Stack → exact resolution, through the lock when one matches: the one path every command takes. */
export function plan(input: PlanInput): Plan {
  const spec = input.ref ? loadStack(input.ref, { cwd: input.cwd }) : loadProjectStack(input.cwd)
  const matrix = loadMatrix()
  const dir = projectDir(spec)
  const lockPath = dir ? join(dir, LOCK_FILE) : null
  const lock = readLock(lockPath)
  const variant: VariantName = decideGpu(spec, input.host).gpu ? 'gpu' : 'cpu'
  const locked = lock?.variants[variant]
  const matches = lock !== null && lock.inputs === inputsHash(spec)
  if (matches && locked && !input.upgrade) {
    const resolved = applyMirrors(fromLock(locked.resolution, matrix, input.host), spec.mirrors, spec.network)
    return { spec, matrix, resolved, variant, lockPath, lock, lockStatus: 'used' }
  }
  if (input.frozen && lockPath && !lock) {
    throw new EnvctlError('LOCK_DRIFT', `no ${LOCK_FILE} next to ${spec.chain[spec.chain.length - 1]} (--frozen)`, { hint: 'run `envctl lock` and commit envctl.lock' })
  }
  const fresh = resolveStack(spec, matrix, input.host)
  if (input.frozen && lock && lockPath && !input.upgrade) throw frozenError(lockPath, lock, fresh, variant)
  const lockStatus: LockStatus = !lock ? 'none' : matches ? 'missing-variant' : 'stale'
  return { spec, matrix, resolved: applyMirrors(fresh, spec.mirrors, spec.network), variant, lockPath, lock, lockStatus }
}
