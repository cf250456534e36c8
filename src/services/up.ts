import type { ContainerSummary, Engine, GpuRequest } from '../engine/engine.js'
import type { HostFacts } from '../host/types.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { Step } from '../ui/steps.js'
import { renderDockerfile } from '../render/render-dockerfile.js'
import { plan, type Plan } from './plan.js'
import { writeLock } from './lock.js'
import { connectEngine } from '../engine/connect.js'
import { LABEL, containerName, envName, imageTag, specHash } from './env/naming.js'
import { NO_RUNTIME_HINT, parseGpus } from './env/gpus.js'
import { ensureBase, ensureImage } from './env/image.js'
import { progressLine } from './env/progress-text.js'
import { assertNameFree, findEnvContainer } from './env/find.js'
import { CACHES, cacheVolume, containerPlan } from './env/container-plan.js'
import { injectUser } from './env/user-setup.js'

export interface UpInput {
  ref?: string
  cwd: string
  workspace: string
  host: HostFacts
  engineHost?: string
  gpus?: string
  name?: string
  noCache?: boolean
  pull?: boolean
  frozen?: boolean
  /** Build only; do not start a container. */
  buildOnly?: boolean
  signal?: AbortSignal
}

export interface UpResult {
  name: string
  container: string | null
  containerId: string | null
  image: string
  imageId: string
  built: boolean
  /** 'created' (new container), 'started' (existing one was stopped), 'running' (no-op), 'built' (build only). */
  action: 'created' | 'started' | 'running' | 'built'
  workspace: string
  mounts: Array<{ source: string; target: string }>
  gpus: string
  ports: Array<{ container: number; host: string }>
  shell: string
  lock: string | null
  /** The build's steps as BuildKit reported them: which were served from cache. Empty when nothing was built. */
  buildSteps: Array<{ name: string; cached: boolean }>
  /** What envctl did on the side (lock written, CPU fallback). */
  notes: string[]
  warnings: string[]
}

interface Ctx {
  input: UpInput
  plan: Plan
  engine: Engine
  env: string
  gpus: GpuRequest | null
  dockerfile: string
  hash: string
  tag: string
  imageId: string
  built: boolean
  existing: ContainerSummary | null
  containerId: string | null
  action: UpResult['action']
  notices: string[]
  notes: string[]
  buildSteps: Map<string, { name: string; cached: boolean }>
}

function isProject(p: Plan): boolean {
  return p.lockPath !== null
}

function replan(ctx: Ctx, forceCpu: boolean): void {
  ctx.plan = plan({ ref: ctx.input.ref, cwd: ctx.input.cwd, host: { ...ctx.input.host, forceCpu }, frozen: ctx.input.frozen })
}

/** Decide GPU access against what the engine can do; say so before anything is built. */
async function settleGpus(ctx: Ctx): Promise<void> {
  const choice = parseGpus(ctx.input.gpus)
  const wantsGpu = choice.kind === 'request' || (choice.kind === 'auto' && ctx.plan.resolved.gpu)
  if (!wantsGpu) {
    ctx.gpus = null
    return
  }
  const info = await ctx.engine.info()
  if (info.runtimes.includes('nvidia')) {
    ctx.gpus = choice.kind === 'request' ? choice.request : { count: 'all' }
    return
  }
  if (choice.kind === 'request' || ctx.plan.spec.gpu.mode === 'required') {
    throw new EnvctlError('GPU_UNAVAILABLE', `GPU access was requested, but the engine at ${ctx.engine.host} has no NVIDIA runtime`, { hint: NO_RUNTIME_HINT })
  }
  ctx.notices.push(`the engine at ${ctx.engine.host} has no NVIDIA runtime: using the CPU build (${NO_RUNTIME_HINT})`)
  replan(ctx, true)
  ctx.gpus = null
}

function render(ctx: Ctx): void {
  ctx.dockerfile = renderDockerfile(ctx.plan.resolved)
  ctx.hash = specHash(ctx.dockerfile)
  ctx.tag = imageTag(ctx.plan.spec.name, ctx.hash)
}

const resolveStep: Step<Ctx> = {
  title: 'Resolve stack',
  async run(ctx) {
    const choice = parseGpus(ctx.input.gpus)
    const host = choice.kind === 'none' ? { ...ctx.input.host, forceCpu: true } : ctx.input.host
    ctx.plan = plan({ ref: ctx.input.ref, cwd: ctx.input.cwd, host, frozen: ctx.input.frozen })
    const r = ctx.plan.resolved
    return `${r.stack}: ${r.base.image}${r.python ? `, python ${r.python}` : ''}${Object.entries(r.frameworks).map(([k, v]) => `, ${k} ${v}`).join('')}`
  },
}

const engineStep: Step<Ctx> = {
  title: 'Connect to the engine',
  async run(ctx) {
    ctx.engine = await connectEngine({ host: ctx.input.engineHost })
    await ctx.engine.ping()
    await settleGpus(ctx)
    render(ctx)
    ctx.env = envName(ctx.plan.spec, ctx.input.workspace, isProject(ctx.plan), ctx.input.name)
    if (!ctx.input.buildOnly) await assertNameFree(ctx.engine, ctx.env)
    return ctx.engine.host
  },
}

const baseStep: Step<Ctx> = {
  title: 'Pull base image',
  skip: (ctx) => (ctx.input.noCache || ctx.input.pull ? false : ''),
  async run(ctx, report) {
    if (!ctx.input.pull && !ctx.input.noCache && (await ctx.engine.imageExists(ctx.tag))) return 'not needed (image cached)'
    const r = await ensureBase(ctx.engine, ctx.plan.resolved, (e) => { const l = progressLine(e); if (l) report.output(l) }, ctx.input.pull)
    return r === 'present' ? `${ctx.plan.resolved.base.image} present` : `pulled ${ctx.plan.resolved.base.image}`
  },
}

const buildStep: Step<Ctx> = {
  title: 'Build image',
  async run(ctx, report) {
    const r = await ensureImage(ctx.engine, {
      resolved: ctx.plan.resolved,
      dockerfile: ctx.dockerfile,
      tag: ctx.tag,
      labels: { [LABEL.managed]: '1', [LABEL.stack]: ctx.plan.spec.name, [LABEL.specHash]: ctx.hash },
      noCache: ctx.input.noCache,
      pull: ctx.input.pull,
      signal: ctx.input.signal,
      onProgress: (e) => {
        if (e.kind === 'step' && (e.done || e.cached)) ctx.buildSteps.set(e.name, { name: e.name, cached: e.cached })
        const l = progressLine(e)
        if (l) report.output(l)
      },
    })
    ctx.imageId = r.imageId
    ctx.built = r.built
    return r.built ? `built ${ctx.tag}` : `cached ${ctx.tag}`
  },
}

async function ensureCaches(ctx: Ctx): Promise<void> {
  const have = new Set((await ctx.engine.listVolumes()).map((v) => v.name))
  for (const c of CACHES[ctx.plan.resolved.runtime] ?? []) {
    if (!have.has(cacheVolume(c.kind))) await ctx.engine.createVolume({ name: cacheVolume(c.kind), labels: { [LABEL.managed]: '1', [LABEL.cache]: c.kind } })
  }
}

async function createAndStart(ctx: Ctx): Promise<void> {
  await ensureCaches(ctx)
  const spec = containerPlan({ resolved: ctx.plan.resolved, name: containerName(ctx.env), env: ctx.env, image: ctx.tag, hash: ctx.hash, workspace: ctx.input.workspace, uid: ctx.input.host.uid, gid: ctx.input.host.gid, gpus: ctx.gpus })
  const id = await ctx.engine.createContainer(spec)
  try {
    await injectUser(ctx.engine, id, ctx.input.host.uid, ctx.input.host.gid)
    await ctx.engine.startContainer(id)
  } catch (e) {
    await ctx.engine.removeContainer(id, { force: true }).catch(() => {})
    throw e
  }
  ctx.containerId = id
}

const startStep: Step<Ctx> = {
  title: 'Start environment',
  skip: (ctx) => (ctx.input.buildOnly ? 'build only' : false),
  async run(ctx) {
    ctx.existing = await findEnvContainer(ctx.engine, ctx.env)
    const same = ctx.existing?.labels[LABEL.specHash] === ctx.hash && ctx.existing.labels[LABEL.gpu] === String(Boolean(ctx.gpus))
    if (ctx.existing && same) {
      ctx.containerId = ctx.existing.id
      if (ctx.existing.status === 'running') return (ctx.action = 'running'), 'already running'
      await ctx.engine.startContainer(ctx.existing.id)
      return (ctx.action = 'started'), 'started the existing container'
    }
    if (ctx.existing) await ctx.engine.removeContainer(ctx.existing.id, { force: true })
    await createAndStart(ctx)
    ctx.action = 'created'
    return ctx.existing ? 'replaced the previous container' : 'created'
  },
}

function result(ctx: Ctx): UpResult {
  const r = ctx.plan.resolved
  const spec = ctx.input.buildOnly ? null : containerPlan({ resolved: r, name: containerName(ctx.env), env: ctx.env, image: ctx.tag, hash: ctx.hash, workspace: ctx.input.workspace, uid: ctx.input.host.uid, gid: ctx.input.host.gid, gpus: ctx.gpus })
  return {
    name: ctx.env,
    container: ctx.input.buildOnly ? null : containerName(ctx.env),
    containerId: ctx.containerId,
    image: ctx.tag,
    imageId: ctx.imageId,
    built: ctx.built,
    action: ctx.input.buildOnly ? 'built' : ctx.action,
    workspace: ctx.input.workspace,
    mounts: (spec?.mounts ?? []).map((m) => ({ source: m.source, target: m.target })),
    gpus: ctx.gpus ? (ctx.gpus.deviceIds?.join(',') ?? String(ctx.gpus.count)) : 'none',
    ports: (spec?.ports ?? []).map((p) => ({ container: p.containerPort, host: `${p.hostIp}:${p.hostPort}` })),
    shell: `envctl shell ${ctx.env}`,
    lock: ctx.plan.lockPath,
    buildSteps: [...ctx.buildSteps.values()],
    notes: ctx.notes,
    warnings: [...ctx.notices, ...r.warnings],
  }
}

/** Keep envctl.lock in step with what was built: written on first up, updated when the stack changed. */
function updateLock(ctx: Ctx): void {
  if (!ctx.plan.lockPath || ctx.input.frozen || ctx.plan.lockStatus === 'used') return
  const res = writeLock({ ref: ctx.input.ref, cwd: ctx.input.cwd, host: ctx.input.host })
  const changed = Object.values(res.changes).reduce((n, c) => n + c.length, 0)
  ctx.notes.push(ctx.plan.lockStatus === 'none' ? `wrote ${res.path}` : `updated ${res.path} (${changed} changes: envctl lock shows them)`)
}

export function upSteps(): Step<Ctx>[] {
  return [resolveStep, engineStep, baseStep, buildStep, startStep]
}

export async function up(input: UpInput, runSteps: <C>(steps: Step<C>[], ctx: C) => Promise<void>): Promise<UpResult> {
  const ctx = { input, notices: [], notes: [], buildSteps: new Map(), built: false, containerId: null, existing: null, gpus: null, action: 'created' } as unknown as Ctx
  await runSteps(upSteps(), ctx)
  updateLock(ctx)
  return result(ctx)
}
