import type { CheckResult, DoctorCheck, DoctorContext, EngineFacts } from './types.js'
import type { GpuInfo } from '../host/types.js'
import { networkCheck } from './network.js'

/** BuildKit builds through the API (`version=2`) arrived with Docker 18.09, API 1.39. */
const BUILDKIT_MIN_API = '1.39'
const LOW_DISK_BYTES = 10 * 1024 ** 3
const GIB = 1024 ** 3

type Facts = Extract<EngineFacts, { version: unknown }>

export const engineCheck: DoctorCheck = async (ctx) => {
  const facts = await ctx.engineFacts()
  if ('error' in facts) return { name: 'engine', status: 'fail', detail: facts.error.message, fix: facts.error.hint, code: facts.error.code }
  const { version: v } = facts
  return { name: 'engine', status: 'ok', detail: `Docker ${v.version} (API ${v.apiVersion}, ${v.os}/${v.arch}) at ${ctx.engine.host}` }
}

export const buildkitCheck: DoctorCheck = (ctx) =>
  withEngine(ctx, 'buildkit', ({ version }) => {
    if (compareApi(version.apiVersion, BUILDKIT_MIN_API) >= 0) {
      return { name: 'buildkit', status: 'ok', detail: `BuildKit builds available (API ${version.apiVersion} ≥ ${BUILDKIT_MIN_API})` }
    }
    return {
      name: 'buildkit',
      status: 'fail',
      detail: `Docker ${version.version} (API ${version.apiVersion}) predates BuildKit builds through the API (needs API ${BUILDKIT_MIN_API}, Docker 18.09)`,
      fix: 'upgrade the Docker engine',
      code: 'BUILD_FAILED',
    }
  })

export const nvidiaRuntimeCheck: DoctorCheck = (ctx) =>
  withEngine(ctx, 'nvidia-runtime', async ({ info }) => {
    const name = 'nvidia-runtime'
    const { gpus } = await ctx.gpus()
    if (info.runtimes.includes('nvidia')) {
      return gpus.length || !ctx.engine.local
        ? { name, status: 'ok', detail: 'the engine has the nvidia runtime' }
        : { name, status: 'warn', detail: 'the engine has the nvidia runtime, but nvidia-smi finds no GPU on this machine', fix: 'check the NVIDIA driver with nvidia-smi' }
    }
    const runtimes = `runtimes: ${info.runtimes.join(', ') || 'none'}`
    if (!gpus.length && ctx.engine.local) return { name, status: 'ok', detail: `not needed: no NVIDIA GPU on this machine (${runtimes})` }
    return {
      name,
      status: 'warn',
      detail: `the engine lists no nvidia runtime (${runtimes}); GPU containers will fail to start unless the toolkit's hook is installed`,
      fix: 'install the NVIDIA Container Toolkit and run: sudo nvidia-ctk runtime configure --runtime=docker, then restart dockerd',
      code: 'GPU_UNAVAILABLE',
    }
  })

export const gpuCheck: DoctorCheck = async (ctx) => {
  const probe = await ctx.gpus()
  if (probe.problem) return { name: 'gpu', status: 'warn', detail: probe.problem, fix: 'check the NVIDIA driver: nvidia-smi should list the GPUs' }
  if (!probe.gpus.length) return { name: 'gpu', status: 'ok', detail: 'no NVIDIA GPU found (no nvidia-smi): CPU builds only' }
  const driver = `driver ${probe.driver ?? 'unknown'}${probe.driverCuda ? `, CUDA ≤ ${probe.driverCuda}` : ''}`
  return { name: 'gpu', status: 'ok', detail: `${probe.gpus.map(describeGpu).join('; ')}; ${driver}` }
}

export const diskCheck: DoctorCheck = (ctx) =>
  withEngine(ctx, 'disk', async ({ info }) => {
    const path = info.dockerRootDir
    if (!ctx.engine.local) return { name: 'disk', status: 'ok', detail: `not checked: the engine's data root (${path}) is on another machine` }
    const free = await ctx.freeBytes(path)
    if (free === undefined) return { name: 'disk', status: 'warn', detail: `cannot read the free space at ${path}`, fix: `check it with: df -h ${path}` }
    const detail = `${(free / GIB).toFixed(1)} GiB free at ${path}`
    if (free >= LOW_DISK_BYTES) return { name: 'disk', status: 'ok', detail }
    return { name: 'disk', status: 'warn', detail: `only ${detail}; GPU images need 10+ GiB`, fix: 'free space with: envctl prune (or docker system prune)' }
  })

export const DEFAULT_CHECKS: DoctorCheck[] = [engineCheck, buildkitCheck, nvidiaRuntimeCheck, gpuCheck, diskCheck, networkCheck]

/** Runs a check that needs the engine; without one it is reported as not checked. */
async function withEngine(ctx: DoctorContext, name: string, check: (facts: Facts) => CheckResult | Promise<CheckResult>): Promise<CheckResult> {
  const facts = await ctx.engineFacts()
  if ('error' in facts) return { name, status: 'warn', detail: 'not checked: the engine is unreachable' }
  return check(facts)
}

function describeGpu(gpu: GpuInfo): string {
  const memory = gpu.memoryMiB ? `, ${Math.round(gpu.memoryMiB / 1024)} GiB` : ''
  const arch = gpu.computeCapability ? `sm_${gpu.computeCapability.replace('.', '')}` : 'compute capability unknown'
  return `GPU ${gpu.index}: ${gpu.name} (${arch}${memory})`
}

export function compareApi(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number)
  const [b1 = 0, b2 = 0] = b.split('.').map(Number)
  return a1 - b1 || a2 - b2
}
