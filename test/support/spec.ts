import { EnvctlError } from '../../src/errors/envctl-error.js'
import type { StackSpec } from '../../src/stack/types.js'
import type { HostFacts, GpuInfo } from '../../src/host/types.js'

/** A StackSpec as the loader would produce it, with only what a test cares about filled in. */
export function spec(partial: Partial<StackSpec> = {}): StackSpec {
  return {
    name: 'test',
    origin: 'test',
    chain: [],
    frameworks: {},
    packages: { pip: [], apt: [], npm: [], maven: [], ...partial.packages },
    gpu: { mode: 'auto', ...partial.gpu },
    notebook: { enabled: false },
    env: {},
    mirrors: {},
    network: {},
    run: {},
    provenance: {},
    ...partial,
  } as StackSpec
}

const base: Omit<HostFacts, 'gpus' | 'driver' | 'driverCuda' | 'gpuSource'> = { forceCpu: false, uid: 1000, gid: 1000, platform: 'linux', arch: 'x64' }

export const cpuHost: HostFacts = { ...base, gpuSource: 'none', gpus: [], driver: null, driverCuda: null }

export function gpuHost(computeCapability: string, driver: string, name = 'GPU'): HostFacts {
  const gpu: GpuInfo = { index: 0, name, computeCapability }
  return { ...base, gpuSource: 'flags', gpus: [gpu], driver, driverCuda: null }
}

export const h100 = gpuHost('9.0', '580.159.04', 'NVIDIA H100 80GB HBM3')

/** The EnvctlError `fn` throws; a test fails when it throws nothing or something else. */
export function failure(fn: () => unknown): EnvctlError {
  try {
    fn()
  } catch (e) {
    if (e instanceof EnvctlError) return e
    throw e
  }
  throw new Error('expected an EnvctlError, and nothing was thrown')
}
