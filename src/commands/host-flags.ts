import { Flags } from '@oclif/core'

/** Flags that set the host facts resolution plans for; shared by resolve, dockerfile, lock, build and up. */
export const hostFlags = {
  'gpu-arch': Flags.string({
    summary: 'Plan for a GPU of this architecture instead of probing nvidia-smi (sm_90, 8.6; comma-separated for several).',
    helpGroup: 'HOST',
    exclusive: ['cpu'],
  }),
  driver: Flags.string({ summary: 'Plan for this NVIDIA driver version (e.g. 550.54.14).', helpGroup: 'HOST', exclusive: ['cpu'] }),
  cpu: Flags.boolean({ summary: 'Plan the CPU build, whatever GPUs the host has.', helpGroup: 'HOST', exclusive: ['gpu-arch', 'driver'] }),
}

export function hostFlagValues(flags: { 'gpu-arch'?: string; driver?: string; cpu?: boolean }) {
  return { gpuArch: flags['gpu-arch'], driver: flags.driver, cpu: flags.cpu }
}
