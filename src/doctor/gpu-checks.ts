// The GPU half of `envctl doctor`: the engine's NVIDIA runtime, the GPUs nvidia-smi sees, the limits GPU
// stacks ask for, and whether the driver runs the CUDA build the project here plans.
import type { CheckResult, DoctorCheck, DoctorContext, EngineFacts } from './types.js'
import type { GpuInfo } from '../host/types.js'
import { GPU_ULIMITS } from '../environment/container/limits.js'
import { compareLoose } from '../resolvers/version-range.js'

type Facts = Extract<EngineFacts, { version: unknown }>

/** Runs a check that needs the engine; without one it is reported as not checked. */
export async function withEngine(ctx: DoctorContext, name: string, check: (facts: Facts) => CheckResult | Promise<CheckResult>): Promise<CheckResult> {
  const facts = await ctx.engineFacts()
  if ('error' in facts) return { name, status: 'warn', detail: 'not checked: the engine is unreachable' }
  return check(facts)
}

export const nvidiaRuntimeCheck: DoctorCheck = (ctx) =>
  withEngine(ctx, 'nvidia-runtime', async ({ info }) => {
    const name = 'nvidia-runtime'
    const { gpus } = await ctx.gpus()
    if (info.runtimes.includes('nvidia')) {
      return gpus.length || !ctx.engine.local
        ? { name, status: 'ok', detail: `the engine has the nvidia runtime${gpus.length ? `; GPU containers get ${gpus.length === 1 ? 'the GPU' : `the ${gpus.length} GPUs`} nvidia-smi lists` : ''}` }
        : { name, status: 'warn', detail: 'the engine has the nvidia runtime, but nvidia-smi finds no GPU on this machine', fix: 'check the NVIDIA driver with nvidia-smi' }
    }
    const runtimes = `runtimes: ${info.runtimes.join(', ') || 'none'}`
    if (!gpus.length && ctx.engine.local) return { name, status: 'ok', detail: `not needed: no NVIDIA GPU on this machine (${runtimes})` }
    return {
      name,
      status: 'warn',
      detail: `the engine lists no nvidia runtime (${runtimes}): GPU requests fail, and gpu.mode = "auto" stacks use their CPU build`,
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

const shown = (name: string) => `${name}=${GPU_ULIMITS[name] === -1 ? 'unlimited' : `${GPU_ULIMITS[name] / 2 ** 20} MiB`}`

export const limitsCheck: DoctorCheck = (ctx) =>
  withEngine(ctx, 'ulimits', async () => {
    const probe = await ctx.refusedLimits()
    const all = Object.keys(GPU_ULIMITS).map(shown).join(', ')
    if ('unchecked' in probe) return { name: 'ulimits', status: 'ok', detail: `not checked: ${probe.unchecked}` }
    if (!probe.refused.length) return { name: 'ulimits', status: 'ok', detail: `the engine allows the GPU stacks' limits (${all})` }
    return {
      name: 'ulimits',
      status: 'warn',
      detail: `the engine refuses ${probe.refused.map(shown).join(', ')}: GPU environments start with the engine's own limit instead (envctl up warns), which can cap CUDA pinned memory and NCCL`,
      fix: "rootless Docker and a daemon inside a container cannot raise limits; for GPU work use a rootful engine whose own limit is unlimited (systemd: LimitMEMLOCK=infinity), or keep the engine's limit",
    }
  })

export const gpuBuildCheck: DoctorCheck = async (ctx) => {
  const name = 'gpu-build'
  const planned = await ctx.plannedBuild()
  if (planned === null) return { name, status: 'ok', detail: 'not checked: no envctl.toml here (run doctor in a project to check its CUDA build against the driver)' }
  if ('error' in planned) return { name, status: 'fail', detail: planned.error.message, fix: planned.error.hint, code: planned.error.code }
  const { stack, gpu, cuda, frameworks, driverCuda } = planned
  const what = Object.entries(frameworks).map(([k, v]) => `${k} ${v}`).join(', ')
  if (!gpu) return { name, status: 'ok', detail: `${stack} plans its CPU build here` }
  if (!cuda) return { name, status: 'ok', detail: `${stack} plans a GPU environment without a CUDA build of its own${driverCuda ? `; the driver runs CUDA ≤ ${driverCuda}` : ''}` }
  const build = `${stack} plans CUDA ${cuda}${what ? ` (${what})` : ''}`
  if (!driverCuda) return { name, status: 'ok', detail: `${build}; the driver's CUDA version is not known here (planned with --gpu-arch, or no nvidia-smi)` }
  if (compareLoose(cuda, driverCuda) <= 0) return { name, status: 'ok', detail: `${build}; the driver runs CUDA ≤ ${driverCuda}${await cpuFallback(ctx)}` }
  return { name, status: 'fail', detail: `${build}, but the driver runs CUDA ≤ ${driverCuda}`, fix: 'upgrade the NVIDIA driver, or pin an older CUDA build (gpu.cuda) and run envctl lock --upgrade', code: 'HOST_INCOMPATIBLE' }
}

/** gpu.mode = "auto" on an engine without the nvidia runtime: up plans the GPU build, then uses the CPU one. */
async function cpuFallback(ctx: DoctorContext): Promise<string> {
  const facts = await ctx.engineFacts()
  return 'info' in facts && !facts.info.runtimes.includes('nvidia') ? '; but this engine has no nvidia runtime, so envctl up uses the CPU build' : ''
}

function describeGpu(gpu: GpuInfo): string {
  const memory = gpu.memoryMiB ? `, ${Math.round(gpu.memoryMiB / 1024)} GiB` : ''
  const arch = gpu.computeCapability ? `sm_${gpu.computeCapability.replace('.', '')}` : 'compute capability unknown'
  return `GPU ${gpu.index}: ${gpu.name} (${arch}${memory})`
}
