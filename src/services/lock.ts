import { writeFileSync } from 'node:fs'
import type { HostFacts } from '../host/types.js'
import type { Matrix } from '../matrix/types.js'
import type { StackSpec } from '../stack/types.js'
import type { ResolvedStack } from '../resolvers/types.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { resolveStack } from '../resolvers/resolve.js'
import { inputsHash } from '../lock/inputs.js'
import { serializeLock } from '../lock/serialize.js'
import { diffResolutions, type Change } from '../lock/diff.js'
import { LOCK_VERSION, type LockFile, type LockedResolution, type LockedVariant, type VariantName } from '../lock/types.js'
import { plan } from './plan.js'
import { ENVCTL_VERSION } from '../version.js'

export interface LockResult {
  path: string
  written: boolean
  variants: VariantName[]
  changes: Record<string, Change[]>
  warnings: string[]
}

function toLocked(r: ResolvedStack): LockedResolution {
  const { explain: _e, warnings: _w, mirrors: _m, network: _n, ...rest } = r
  return rest
}

const GENERIC_GPU: Omit<HostFacts, 'uid' | 'gid' | 'platform' | 'arch'> = { gpuSource: 'flags', gpus: [], driver: null, driverCuda: null, forceCpu: false }

/** The GPU variant for this host when it has GPUs, else for a generic current GPU machine. */
function resolveVariant(spec: StackSpec, matrix: Matrix, host: HostFacts, variant: VariantName): ResolvedStack {
  if (variant === 'cpu') return { ...resolveStack({ ...spec, gpu: { ...spec.gpu, mode: 'none' } }, matrix, host), gpuMode: spec.gpu.mode }
  const gpuHost = host.gpus.length ? host : { ...host, ...GENERIC_GPU }
  return { ...resolveStack({ ...spec, gpu: { ...spec.gpu, mode: 'required' } }, matrix, gpuHost), gpuMode: spec.gpu.mode }
}

function keepBuildFacts(prev: LockedVariant | undefined, next: LockedResolution): LockedVariant {
  const same = prev && diffResolutions(prev.resolution, next).length === 0
  return same ? { ...prev, resolution: next } : { resolution: next }
}

/**
 * Resolves the CPU and (unless gpu.mode = "none") GPU variants and writes envctl.lock beside the stack file.
 * A lock that still matches the stack keeps its versions unless `upgrade` is set.
 */
export function writeLock(input: { ref?: string; cwd: string; host: HostFacts; upgrade?: boolean }): LockResult {
  const p = plan({ ...input, upgrade: true })
  if (!p.lockPath) throw new EnvctlError('USAGE', `a built-in stack has no lock; lock a project file instead`, { hint: `envctl init ${p.spec.name} && envctl lock` })
  const names: VariantName[] = p.spec.gpu.mode === 'none' || p.resolved.runtime !== 'python' ? ['cpu'] : ['cpu', 'gpu']
  const variants: LockFile['variants'] = {}
  const changes: Record<string, Change[]> = {}
  const warnings: string[] = []
  const unchanged = !input.upgrade && p.lock?.inputs === inputsHash(p.spec)
  for (const v of names) {
    const kept = unchanged ? p.lock?.variants[v] : undefined
    if (kept) {
      variants[v] = kept
      changes[v] = []
      continue
    }
    const r = resolveVariant(p.spec, p.matrix, input.host, v)
    warnings.push(...r.warnings)
    const prev = input.upgrade ? undefined : p.lock?.variants[v]
    const next = toLocked(r)
    changes[v] = diffResolutions(p.lock?.variants[v]?.resolution ?? null, next)
    variants[v] = keepBuildFacts(prev, next)
  }
  const lock: LockFile = { lockVersion: LOCK_VERSION, envctl: ENVCTL_VERSION, matrix: p.matrix.index.version, stack: p.spec.name, inputs: inputsHash(p.spec), variants }
  writeFileSync(p.lockPath, serializeLock(lock))
  return { path: p.lockPath, written: true, variants: names, changes, warnings: [...new Set(warnings)] }
}
