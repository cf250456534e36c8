import { EnvctlError } from '../../errors/envctl-error.js'
import type { GpuRequest } from '../../engine/engine.js'
import type { HostFacts } from '../../host/types.js'

/**
 * --gpus, in docker's words where docker has them:
 *   auto                 the stack's gpu.mode decides (default)
 *   all | none           every GPU | no GPU (and the CPU build)
 *   N | count=N          any N GPUs (N ≥ 1); count=all is all
 *   device=IDS           those GPUs: indexes, GPU-… UUIDs or MIG-… device UUIDs, separated by commas
 *   IDS                  the same, when there are several (1,3) or they are UUIDs; a lone number is a count, as in docker
 * `0` is refused: docker reads it as zero GPUs, people mean GPU 0.
 */
export type GpuChoice = { kind: 'auto' } | { kind: 'none' } | { kind: 'request'; request: GpuRequest }

const DEVICE_ID = /^(\d+|GPU-[0-9a-fA-F-]+|MIG-[0-9a-zA-Z/-]+)$/
const FORMS = 'auto, all, none, a count (2, count=2), or devices (device=0, 1,3, GPU-<uuid>, MIG-<uuid>)'

function usage(value: string, why: string, hint = `use ${FORMS}`): EnvctlError {
  return new EnvctlError('USAGE', `--gpus ${JSON.stringify(value)} ${why}`, { hint })
}

/** `"device=1,3"` as a shell passes it when the user quoted it for docker. */
function unquote(v: string): string {
  return /^"[^"]*"$/.test(v) || /^'[^']*'$/.test(v) ? v.slice(1, -1) : v
}

function count(value: string, text: string): GpuChoice {
  if (text === 'all') return { kind: 'request', request: { count: 'all' } }
  if (!/^\d+$/.test(text)) throw usage(value, 'is not understood: a count is a whole number or all')
  if (Number(text) === 0) throw usage(value, 'asks for zero GPUs', 'write --gpus none for no GPU, or --gpus device=0 for the first GPU')
  return { kind: 'request', request: { count: Number(text) } }
}

function devices(value: string, list: string): GpuChoice {
  const ids = list.split(',').map((s) => s.trim())
  const bad = ids.filter((id) => !DEVICE_ID.test(id))
  if (bad.length || ids.length === 0) throw usage(value, `names no device as nvidia-smi does: ${bad.map((b) => JSON.stringify(b)).join(', ') || 'none given'}`)
  if (new Set(ids).size !== ids.length) throw usage(value, 'names a device twice')
  return { kind: 'request', request: { count: 'all', deviceIds: ids } }
}

export function parseGpus(value: string | undefined): GpuChoice {
  const raw = value ?? 'auto'
  const v = unquote(raw.trim())
  if (v === 'auto') return { kind: 'auto' }
  if (v === 'none') return { kind: 'none' }
  if (v === 'all' || /^\d+$/.test(v)) return count(raw, v)
  if (v.startsWith('count=')) return count(raw, v.slice('count='.length))
  if (v.startsWith('device=')) return devices(raw, v.slice('device='.length))
  if (/^[a-z_]+=/.test(v)) throw usage(raw, `uses a key envctl does not take (${v.split('=')[0]})`, `envctl gives GPU environments the compute and utility capabilities itself; use ${FORMS}`)
  if (v.includes(',') || DEVICE_ID.test(v)) return devices(raw, v)
  throw usage(raw, 'is not understood')
}

/** How envctl writes a GPU request back (up, ls, the dev.envctl.gpus label): in --gpus syntax, so it can be passed again. */
export function gpusText(request: GpuRequest | null | undefined): string {
  if (!request) return 'none'
  if (request.deviceIds?.length) return `device=${request.deviceIds.join(',')}`
  return request.count === 'all' ? 'all' : `count=${request.count}`
}

function seenList(host: HostFacts): string {
  return host.gpus.map((g) => `${g.index}${g.uuid ? ` (${g.uuid})` : ''}: ${g.name}`).join('; ')
}

function unseen(host: HostFacts, id: string): boolean {
  if (/^\d+$/.test(id)) return !host.gpus.some((g) => g.index === Number(id))
  if (id.startsWith('GPU-')) return !host.gpus.some((g) => g.uuid?.toLowerCase() === id.toLowerCase())
  return host.migDevices !== undefined && !host.migDevices.includes(id)
}

/**
 * A request the GPUs nvidia-smi saw cannot serve: more than there are, or devices it did not list. Checked only
 * when nvidia-smi on this machine answered for the engine's GPUs (a local engine); otherwise the engine decides.
 */
export function checkGpusSeen(request: GpuRequest, host: HostFacts): void {
  if (host.gpuSource !== 'nvidia-smi') return
  const hint = 'nvidia-smi -L lists the GPUs (and MIG devices) this machine has; pick from those, or use --gpus all'
  if (typeof request.count === 'number' && !request.deviceIds?.length && request.count > host.gpus.length) {
    throw new EnvctlError('GPU_UNAVAILABLE', `--gpus asks for ${request.count} GPUs, but nvidia-smi sees ${host.gpus.length} on this machine (${seenList(host)})`, { hint })
  }
  const missing = (request.deviceIds ?? []).filter((id) => unseen(host, id))
  if (missing.length) {
    const mig = host.migDevices?.length ? `; MIG devices: ${host.migDevices.join(', ')}` : ''
    throw new EnvctlError('GPU_UNAVAILABLE', `--gpus names ${missing.join(', ')}, which nvidia-smi does not list on this machine (GPUs ${seenList(host)}${mig})`, { hint })
  }
}

export const NO_RUNTIME_HINT =
  'install the NVIDIA Container Toolkit on the engine host, run `nvidia-ctk runtime configure --runtime=docker` and restart dockerd; or run without a GPU: --gpus none (or --cpu for the CPU build)'
