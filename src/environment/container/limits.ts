// Resource limits the engine may refuse. GPU stacks ask for memlock unlimited and a 64 MiB stack, as NVIDIA
// recommends; rootless Docker, and a daemon whose own hard limit is lower (a daemon in a container), cannot
// raise them, and runc then fails the start ("error setting rlimit type 8"). A default envctl chose is dropped
// (the container gets the engine's own limit) with a warning; a limit the stack file sets is the user's to change.
import type { ContainerSpec } from '../../engine/engine.js'
import type { ResolvedStack } from '../../resolvers/types.js'
import type { SourceLocation } from '../../errors/envctl-error.js'
import { EnvctlError } from '../../errors/envctl-error.js'
import type { LimitRefusedError } from '../../engine/engine-errors.js'
import { LABEL } from '../naming.js'

export const GPU_ULIMITS: Readonly<Record<string, number>> = { memlock: -1, stack: 67_108_864 }

/** The limits a container of this stack is created with: the GPU defaults under what run.ulimits sets. */
export function stackUlimits(r: ResolvedStack): Record<string, number> {
  return { ...(r.gpu ? GPU_ULIMITS : {}), ...(r.run.ulimits as Record<string, number> | undefined) }
}

function describe(name: string, value: number | undefined): string {
  return `${name}=${value === -1 ? 'unlimited' : value}`
}

/** The same container without one of envctl's default limits, labelled so a kept container warns again. */
export function withoutLimit(spec: ContainerSpec, name: string): ContainerSpec {
  const lowered = [...(spec.labels?.[LABEL.limitsLowered]?.split(',') ?? []), name].join(',')
  return { ...spec, ulimits: spec.ulimits?.filter((u) => u.name !== name), labels: { ...spec.labels, [LABEL.limitsLowered]: lowered } }
}

export function loweredWarning(engineHost: string, names: string[]): string {
  const which = names.map((n) => describe(n, GPU_ULIMITS[n])).join(', ')
  return `the engine at ${engineHost} refuses ${which} (rootless Docker, or a daemon with a lower hard limit): the environment runs with the engine's own limit, which can cap CUDA pinned memory and NCCL; envctl doctor shows what the engine allows`
}

/**
 * What to do when the engine refused a limit: the name of an envctl default to drop, or an error naming the
 * stack file's own setting.
 */
export function settleRefusal(err: LimitRefusedError, r: ResolvedStack, at: SourceLocation | undefined, engineHost: string): string {
  const own = (r.run.ulimits as Record<string, number> | undefined)?.[err.limit]
  if (own === undefined && err.limit in (r.gpu ? GPU_ULIMITS : {})) return err.limit
  if (own === undefined) throw err
  throw new EnvctlError('START_FAILED', `the engine at ${engineHost} refuses run.ulimits.${err.limit} = ${own} (${describe(err.limit, own)})`, {
    problems: [{ message: err.message, ...(at ? { location: { ...at, keyPath: `run.ulimits.${err.limit}` } } : {}) }],
    hint: `lower run.ulimits.${err.limit} to what the engine allows (a rootless or containerised daemon cannot go above its own hard limit; see envctl doctor), or remove it to use the engine's own limit`,
    cause: err,
  })
}
