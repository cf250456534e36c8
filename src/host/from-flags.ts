// Host facts given on the command line, for planning a build for another machine (or none).
import { EnvctlError, type Problem } from '../errors/envctl-error.js'
import type { GpuInfo, HostFacts } from './types.js'

export interface HostFlags {
  /** "sm_90", "sm90", "9.0", "90", "sm_90a"; several separated by commas. */
  gpuArch?: string
  /** NVIDIA driver version, e.g. "550.54.14". */
  driver?: string
  cpu?: boolean
}

/** What does not depend on the GPU: read at the edge and merged in. */
export type SystemFacts = Pick<HostFacts, 'uid' | 'gid' | 'platform' | 'arch'>

const DRIVER = /^\d{3}\.\d{1,3}(\.\d{1,3})?$/

/**
 * HostFacts that the flags settle on their own, or undefined when the GPU has to be probed.
 * All malformed values are reported together as one USAGE error.
 */
export function hostFromFlags(flags: HostFlags, system: SystemFacts): HostFacts | undefined {
  const problems: Problem[] = []
  const archs = flags.gpuArch === undefined ? [] : flags.gpuArch.split(',').map((a) => a.trim())
  const capabilities = archs.map((arch) => parseGpuArch(arch, problems))
  if (flags.driver !== undefined && !DRIVER.test(flags.driver.trim())) {
    problems.push({ message: `--driver "${flags.driver}" is not an NVIDIA driver version`, hint: 'write it as nvidia-smi prints it, e.g. 550.54.14' })
  }
  if (flags.cpu && (flags.gpuArch !== undefined || flags.driver !== undefined)) {
    problems.push({ message: '--cpu cannot be combined with --gpu-arch or --driver' })
  }
  if (flags.driver !== undefined && flags.gpuArch === undefined && !flags.cpu) {
    problems.push({ message: '--driver needs --gpu-arch: the GPU architecture decides which builds can run', hint: 'add e.g. --gpu-arch sm_90' })
  }
  if (problems.length) throw new EnvctlError('USAGE', 'invalid host flags', { problems, hint: 'run: envctl <command> --help' })
  if (flags.cpu) return { ...system, gpuSource: 'none', gpus: [], driver: null, driverCuda: null, forceCpu: true }
  if (flags.gpuArch === undefined) return undefined
  const gpus = capabilities.map((cc, index): GpuInfo => ({ index, name: `planned GPU sm_${cc.replace('.', '')}`, computeCapability: cc }))
  return { ...system, gpuSource: 'flags', gpus, driver: flags.driver?.trim() ?? null, driverCuda: null, forceCpu: false }
}

/** "sm_90" | "sm90" | "90" | "sm_90a" → "9.0"; "9.0" stays. "" and a problem when malformed. */
export function parseGpuArch(value: string, problems: Problem[] = []): string {
  const dotted = /^(\d{1,2})\.(\d)$/.exec(value)
  const compact = /^(?:sm_?)?(\d{1,2})(\d)[af]?$/i.exec(value)
  const match = dotted ?? compact
  const major = match ? Number(match[1]) : 0
  if (match && major >= 3) return `${major}.${match[2]}`
  problems.push({ message: `--gpu-arch "${value}" is not a GPU architecture`, hint: 'use the compute capability, e.g. sm_90, sm90 or 9.0 (nvidia-smi --query-gpu=compute_cap --format=csv)' })
  return ''
}
