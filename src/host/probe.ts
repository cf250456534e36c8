// The edge where envctl reads the machine it runs on: nvidia-smi, uid/gid, platform. Everything inward
// receives the resulting HostFacts value instead of looking for itself.
import { execFile } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import { delimiter, join, resolve } from 'node:path'
import { hostFromFlags, type HostFlags, type SystemFacts } from './from-flags.js'
import { GPU_QUERY_FIELDS, parseGpuQueryCsv, parseMigDevices, parseNvidiaSmiBanner } from './nvidia-smi.js'
import type { GpuInfo, HostFacts } from './types.js'

const NVIDIA_SMI_TIMEOUT_MS = 5_000

export interface GpuProbe {
  gpus: GpuInfo[]
  driver: string | null
  driverCuda: string | null
  /** Why no GPU facts could be read, when nvidia-smi exists but failed; absent when it is simply not installed. */
  problem?: string
}

/** Host facts from the flags when they settle them, else from probing this machine. */
export async function readHostFacts(flags: HostFlags = {}): Promise<HostFacts> {
  const system = readSystemFacts()
  const planned = hostFromFlags(flags, system)
  if (planned) return planned
  return hostFromProbe(system, await probeGpus())
}

export function hostFromProbe(system: SystemFacts, probe: GpuProbe): HostFacts {
  const gpuSource = probe.gpus.length ? 'nvidia-smi' : 'none'
  return { ...system, gpuSource, gpus: probe.gpus, driver: probe.driver, driverCuda: probe.driverCuda, forceCpu: false }
}

export function readSystemFacts(): SystemFacts {
  return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, platform: process.platform, arch: process.arch }
}

/**
 * Asks nvidia-smi for the GPUs and the driver's CUDA version (its banner), both at once: every `up` waits for
 * them. No nvidia-smi means no GPUs, found without starting a process when it is not on PATH.
 */
export async function probeGpus(): Promise<GpuProbe> {
  if (!onPath('nvidia-smi')) return { gpus: [], driver: null, driverCuda: null }
  const [query, banner] = await Promise.all([run(['--query-gpu=' + GPU_QUERY_FIELDS.join(','), '--format=csv,noheader,nounits']), run([])])
  if (query.missing) return { gpus: [], driver: null, driverCuda: null }
  if (query.error) return { gpus: [], driver: null, driverCuda: null, problem: query.error }
  const { gpus, driver } = parseGpuQueryCsv(query.stdout)
  const parsed = banner.error ? { driver: null, cuda: null } : parseNvidiaSmiBanner(banner.stdout)
  return { gpus, driver: driver ?? parsed.driver, driverCuda: parsed.cuda }
}

/** The MIG devices nvidia-smi lists; an empty list when it lists none or cannot be asked. */
export async function probeMigDevices(): Promise<string[]> {
  const listing = await run(['-L'])
  return listing.stdout ? parseMigDevices(listing.stdout) : []
}

/** An executable `name` in a PATH folder (on Windows, where names take extensions, the spawn itself decides). */
function onPath(name: string): boolean {
  if (process.platform === 'win32') return true
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && isExecutable(join(resolve(dir), name)))
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK)
    return true
  } catch {
    return false
  }
}

interface RunResult {
  stdout: string
  missing?: boolean
  error?: string
}

function run(args: string[]): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile('nvidia-smi', args, { timeout: NVIDIA_SMI_TIMEOUT_MS, encoding: 'utf8' }, (err, stdout, stderr) => {
      if (!err) return resolve({ stdout })
      const e = err as NodeJS.ErrnoException & { killed?: boolean }
      if (e.code === 'ENOENT') return resolve({ stdout: '', missing: true })
      const why = e.killed ? `no answer within ${NVIDIA_SMI_TIMEOUT_MS / 1000} s` : (stdout || stderr || e.message).trim().split('\n')[0]
      resolve({ stdout: '', error: `nvidia-smi failed: ${why}` })
    })
  })
}
