// Pure parsers for nvidia-smi output. Tested against real captures in test/fixtures/gpu.
import type { GpuInfo } from './types.js'

/** The fields probe.ts queries, in order; also the default column order for headerless CSV. */
export const GPU_QUERY_FIELDS = ['index', 'name', 'uuid', 'driver_version', 'compute_cap', 'memory.total'] as const

export interface GpuQueryResult {
  gpus: GpuInfo[]
  /** Driver version from the driver_version column; null when not queried. */
  driver: string | null
}

/**
 * Parses `nvidia-smi --query-gpu=… --format=csv[,noheader][,nounits]`. With a header line the columns
 * come from it (units like " [MiB]" are dropped); without one, `fields` gives their order.
 */
export function parseGpuQueryCsv(text: string, fields: readonly string[] = GPU_QUERY_FIELDS): GpuQueryResult {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean)
  let columns = [...fields]
  if (lines[0]?.startsWith('index')) columns = splitRow(lines.shift() ?? '').map((h) => h.replace(/\s*\[.*\]$/, ''))
  const rows = lines.map((line) => Object.fromEntries(splitRow(line).map((v, i) => [columns[i], v])) as Record<string, string | undefined>)
  const gpus = rows.filter((r) => present(r.index) && present(r.name)).map(toGpu)
  const driver = rows.map((r) => r.driver_version).find(present) ?? null
  return { gpus, driver }
}

function toGpu(row: Record<string, string | undefined>): GpuInfo {
  const gpu: GpuInfo = { index: Number(row.index), name: row.name ?? '', computeCapability: present(row.compute_cap) ? row.compute_cap : '' }
  if (present(row.uuid)) gpu.uuid = row.uuid
  const memory = present(row['memory.total']) ? parseInt(row['memory.total'], 10) : NaN
  if (Number.isFinite(memory)) gpu.memoryMiB = memory
  return gpu
}

/** nvidia-smi separates values with ", "; GPU names do not contain commas. */
function splitRow(line: string): string[] {
  return line.split(',').map((v) => v.trim())
}

/** nvidia-smi prints "[N/A]" or "[Not Supported]" for values it does not have. */
function present(value: string | undefined): value is string {
  return value !== undefined && value !== '' && !/^\[.*\]$/.test(value)
}

export interface NvidiaSmiBanner {
  driver: string | null
  /** The highest CUDA version the driver supports. */
  cuda: string | null
}

/** Reads "Driver Version" and "CUDA Version" from plain `nvidia-smi` (the boxed table) or `nvidia-smi -q`. */
export function parseNvidiaSmiBanner(text: string): NvidiaSmiBanner {
  const driver = /Driver Version\s*:\s*(\d+(?:\.\d+)+)/.exec(text)?.[1] ?? null
  const cuda = /CUDA Version\s*:\s*(\d+\.\d+)/.exec(text)?.[1] ?? null
  return { driver, cuda }
}

/**
 * The MIG device UUIDs in `nvidia-smi -L`: "  MIG 1g.10gb Device 0: (UUID: MIG-…)" under their GPU; drivers
 * before 470 wrote them as MIG-GPU-<gpu uuid>/<gi>/<ci>.
 */
export function parseMigDevices(text: string): string[] {
  return [...text.matchAll(/^\s*MIG\b.*\(UUID:\s*(MIG-[^)\s]+)\)/gm)].map((m) => m[1])
}
