import { EnvctlError } from '../../errors/envctl-error.js'
import type { GpuRequest } from '../../engine/engine.js'

/** --gpus as users write it for docker: auto | all | none | a count | device ids/indexes separated by commas. */
export type GpuChoice = { kind: 'auto' } | { kind: 'none' } | { kind: 'request'; request: GpuRequest }

export function parseGpus(value: string | undefined): GpuChoice {
  const v = (value ?? 'auto').trim()
  if (v === 'auto') return { kind: 'auto' }
  if (v === 'none' || v === '0') return { kind: 'none' }
  if (v === 'all') return { kind: 'request', request: { count: 'all' } }
  if (/^\d+$/.test(v)) return { kind: 'request', request: { count: Number(v) } }
  const ids = v.split(',').map((s) => s.trim())
  if (ids.every((id) => /^(\d+|GPU-[0-9a-fA-F-]+|MIG-[0-9a-zA-Z/-]+)$/.test(id))) return { kind: 'request', request: { count: 'all', deviceIds: ids } }
  throw new EnvctlError('USAGE', `--gpus "${value}" is not understood`, { hint: 'use auto, all, none, a number of GPUs, or device indexes/UUIDs such as 0,1' })
}

export const NO_RUNTIME_HINT =
  'install the NVIDIA Container Toolkit on the engine host, run `nvidia-ctk runtime configure --runtime=docker` and restart dockerd; or run without a GPU: --gpus none (or --cpu for the CPU build)'
