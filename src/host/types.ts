/** One GPU as the host reports it. */
export interface GpuInfo {
  index: number
  name: string
  uuid?: string
  /** Compute capability as "major.minor", e.g. "9.0". */
  computeCapability: string
  memoryMiB?: number
}

/**
 * Everything envctl needs to know about the machine, read once at the edge and passed inward.
 * Resolution and rendering never read the environment themselves.
 */
export interface HostFacts {
  /** Where the GPU facts came from: probed with nvidia-smi, given with flags, or none (CPU-only). */
  gpuSource: 'nvidia-smi' | 'flags' | 'none'
  gpus: GpuInfo[]
  /** NVIDIA driver version, e.g. "580.159.04"; null when no driver. */
  driver: string | null
  /** Highest CUDA the driver supports, as nvidia-smi prints it ("13.0"); null when unknown. */
  driverCuda: string | null
  /** Force the CPU variant (--cpu). */
  forceCpu: boolean
  /** The flag that forced it, as the user typed it, for messages; "--cpu" when absent. */
  cpuBecause?: string
  /** MIG device UUIDs (`nvidia-smi -L`); read only when a MIG device is asked for, undefined when not read. */
  migDevices?: string[]
  uid: number
  gid: number
  platform: string
  arch: string
}
