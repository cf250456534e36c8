import type { StackSpec } from '../stack/types.js'
import type { HostFacts } from '../host/types.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { Runtime } from './types.js'

/** One language runtime per stack: python when anything Python is asked for, else node, else java. */
export function runtimeOf(spec: StackSpec): Runtime {
  const python = Boolean(spec.python || Object.keys(spec.frameworks).length || spec.packages.pip.length)
  const node = Boolean(spec.node || spec.packages.npm.length)
  const java = Boolean(spec.java || spec.packages.maven.length)
  const count = [python, node, java].filter(Boolean).length
  if (count > 1) {
    const which = [python && 'python', node && 'node', java && 'java'].filter(Boolean).join(' and ')
    throw new EnvctlError('UNRESOLVABLE', `stack "${spec.name}" asks for more than one language runtime (${which})`, {
      hint: 'split it into one stack per runtime, or remove the [node]/[java]/[python] section that is not needed',
    })
  }
  return python ? 'python' : node ? 'node' : java ? 'java' : 'none'
}

export interface GpuDecision {
  gpu: boolean
  notice?: string
}

export function decideGpu(spec: StackSpec, host: HostFacts): GpuDecision {
  const mode = spec.gpu.mode
  if (mode === 'none') return { gpu: false }
  if (host.forceCpu) {
    const flag = host.cpuBecause ?? '--cpu'
    if (mode === 'required') throw new EnvctlError('USAGE', `stack "${spec.name}" requires a GPU (gpu.mode = "required"), but ${flag} was given`, { hint: `drop ${flag}, or set gpu.mode = "auto" in the stack file` })
    return { gpu: false }
  }
  if (mode === 'required') {
    return host.gpus.length ? { gpu: true } : { gpu: true, notice: 'gpu.mode is "required" but no NVIDIA GPU was found on this host; planning the GPU build anyway' }
  }
  if (host.gpus.length) return { gpu: true }
  return { gpu: false, notice: 'no NVIDIA GPU found on this host: using CPU builds (plan for a GPU host with --gpu-arch sm_XX --driver VERSION)' }
}
