import type { ContainerSpec, ContainerSummary, Engine, GpuRequest, ProgressEvent } from '../engine/engine.js'
import type { HostFacts } from '../host/types.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { Step } from '../ui/steps.js'
import { renderDockerfile } from '../render/render-dockerfile.js'
import { plan, type Plan } from '../project/plan.js'
import { renderContextFiles } from '../render/context-files.js'
import { lockSkip, recordLock } from '../project/record-lock.js'
import { connectEngine } from '../engine/connect.js'
import { LABEL, containerName, envName, imageTag, specHash } from './naming.js'
import { NO_RUNTIME_HINT, parseGpus } from './container/gpus.js'
import { ensureBase, ensureImage } from './image/image.js'
import { progressLine } from './image/progress-text.js'
import { assertNameFree, findEnvContainer } from './find.js'
import { CACHES, cacheVolume, containerPlan } from './container/container-plan.js'
import { injectUser } from './container/user-setup.js'
import { buildContextFiles, injectCaBundle } from './container/ca-files.js'
import { registryAuthSetting } from '../config/user-config.js'
import type { EnvctlPaths } from '../config/paths.js'
import { checkNotebookRequest, injectNotebook, notebookCmd, notebookExtras, planNotebook, type NotebookPlan, type NotebookRequest } from '../notebook/env-notebook.js'
import { awaitNotebook, type NotebookInfo } from '../notebook/await-notebook.js'

export interface UpInput {
  ref?: string
  cwd: string
  workspace: string
  host: HostFacts
  engineHost?: string
  /** DOCKER_CONFIG or ~/.docker, read at the edge: registry credentials for pulls. */
  dockerConfigDir?: string
  /** User config, git cache and home, read at the edge. */
  paths?: EnvctlPaths
  gpus?: string
  name?: string
  noCache?: boolean
  pull?: boolean
  frozen?: boolean
  /** Build only; do not start a container. */
  buildOnly?: boolean
  /** JupyterLab in the environment: --notebook, --port, and where its token file goes. */
  notebook?: NotebookRequest
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
  /** The running notebook: its URL (with the token), host port, and the 0600 file holding the token. */
  notebook: NotebookInfo | null
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
  /** Build-context files besides the Dockerfile (the CA bundle): part of the content hash. */
  contextFiles: Record<string, Buffer>
  hash: string
  tag: string
  imageId: string
  built: boolean
  existing: ContainerSummary | null
  containerId: string | null
  action: UpResult['action']
  notices: string[]
  notes: string[]
  nb: NotebookPlan | null
  notebook: NotebookInfo | null
  buildSteps: Map<string, { name: string; cached: boolean }>
}

function isProject(p: Plan): boolean {
  return p.lockPath !== null
}

function replan(ctx: Ctx, forceCpu: boolean): void {
  ctx.plan = plan({ ref: ctx.input.ref, cwd: ctx.input.cwd, host: { ...ctx.input.host, forceCpu }, frozen: ctx.input.frozen, paths: ctx.input.paths })
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
  const lockFiles = Object.entries(renderContextFiles(ctx.plan.resolved)).map(([k, v]) => [k, Buffer.from(v)])
  ctx.contextFiles = { ...buildContextFiles(ctx.plan.resolved, ctx.plan.spec.provenance['network.ca_bundle']), ...Object.fromEntries(lockFiles) }
  ctx.hash = specHash(ctx.dockerfile, ctx.contextFiles)
  ctx.tag = imageTag(ctx.plan.spec.name, ctx.hash)
}

const resolveStep: Step<Ctx> = {
  title: 'Resolve stack',
  async run(ctx) {
    const choice = parseGpus(ctx.input.gpus)
    const host = choice.kind === 'none' ? { ...ctx.input.host, forceCpu: true } : ctx.input.host
    ctx.plan = plan({ ref: ctx.input.ref, cwd: ctx.input.cwd, host, frozen: ctx.input.frozen, paths: ctx.input.paths })
    const r = ctx.plan.resolved
    if (!ctx.input.buildOnly) checkNotebookRequest(ctx.input.notebook, r, ctx.input.host.uid)
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

/** Docker's config folder for pull credentials, unless the user config's [registry] auth says otherwise. */
function registryDir(ctx: Ctx): string | undefined {
  const setting = registryAuthSetting(ctx.plan.userConfig, ctx.input.paths?.home)
  return setting.kind === 'none' ? undefined : (setting.dir ?? ctx.input.dockerConfigDir)
}

const baseStep: Step<Ctx> = {
  title: 'Pull base image',
  skip: (ctx) => (ctx.input.noCache || ctx.input.pull ? false : ''),
  async run(ctx, report) {
    if (!ctx.input.pull && !ctx.input.noCache && (await ctx.engine.imageExists(ctx.tag))) return 'not needed (image cached)'
    const onProgress = (e: ProgressEvent) => { const l = progressLine(e); if (l) report.output(l) }
    const r = await ensureBase(ctx.engine, ctx.plan.resolved, { onProgress, force: ctx.input.pull, dockerConfigDir: registryDir(ctx), signal: ctx.input.signal })
    return r === 'present' ? `${ctx.plan.resolved.base.image} present` : `pulled ${ctx.plan.resolved.base.image}`
  },
}

const buildStep: Step<Ctx> = {
  title: 'Build image',
  async run(ctx, report) {
    const r = await ensureImage(ctx.engine, {
      resolved: ctx.plan.resolved,
      dockerfile: ctx.dockerfile,
      contextFiles: ctx.contextFiles,
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

/**
 * The image just built holds, by construction, exactly what envctl.lock now records; so it is also the
 * image the locked Dockerfile names, and the next `up` (or another checkout here) finds it instead of
 * building it again.
 */
async function adoptLockedTag(ctx: Ctx): Promise<void> {
  const built = ctx.tag
  replan(ctx, !ctx.plan.resolved.gpu)
  render(ctx)
  if (ctx.tag === built) return
  if (!(await ctx.engine.imageExists(ctx.tag))) await ctx.engine.tagImage(built, ctx.tag)
  ctx.imageId = (await ctx.engine.inspectImage(ctx.tag)).id
}

const lockStep: Step<Ctx> = {
  title: 'Record envctl.lock',
  skip: (ctx) => lockSkip(ctx.plan, ctx.input.frozen),
  async run(ctx) {
    const rec = await recordLock(ctx.engine, ctx.tag, ctx.plan, { ref: ctx.input.ref, cwd: ctx.input.cwd, host: ctx.input.host, paths: ctx.input.paths })
    ctx.notes.push(...rec.notes)
    ctx.notices.push(...rec.warnings)
    await adoptLockedTag(ctx)
    return rec.summary
  },
}

async function ensureCaches(ctx: Ctx): Promise<void> {
  const have = new Set((await ctx.engine.listVolumes()).map((v) => v.name))
  for (const c of CACHES[ctx.plan.resolved.runtime] ?? []) {
    if (!have.has(cacheVolume(c.kind))) await ctx.engine.createVolume({ name: cacheVolume(c.kind), labels: { [LABEL.managed]: '1', [LABEL.cache]: c.kind } })
  }
}

function envSpec(ctx: Ctx): ContainerSpec {
  const server = ctx.nb?.server
  const spec = containerPlan({ resolved: ctx.plan.resolved, name: containerName(ctx.env), env: ctx.env, image: ctx.tag, hash: ctx.hash, workspace: ctx.input.workspace, uid: ctx.input.host.uid, gid: ctx.input.host.gid, gpus: ctx.gpus, ...notebookExtras(server) })
  return { ...spec, ...notebookCmd(server) }
}

async function createAndStart(ctx: Ctx): Promise<void> {
  await ensureCaches(ctx)
  const id = await ctx.engine.createContainer(envSpec(ctx))
  try {
    await injectUser(ctx.engine, id, ctx.input.host.uid, ctx.input.host.gid)
    await injectCaBundle(ctx.engine, id, ctx.plan.resolved, ctx.contextFiles)
    if (ctx.nb?.server) await injectNotebook(ctx.engine, id, ctx.nb.server, ctx.plan.resolved, ctx.input.host.uid, ctx.input.host.gid)
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
    ctx.nb = await planNotebook(ctx.engine, ctx.input.notebook, ctx.plan.resolved, ctx.existing)
    ctx.notes.push(...ctx.nb.notes)
    const same = ctx.existing?.labels[LABEL.specHash] === ctx.hash && ctx.existing.labels[LABEL.gpu] === String(Boolean(ctx.gpus)) && !ctx.nb.recreate
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

const notebookStep: Step<Ctx> = {
  title: 'Start JupyterLab',
  skip: (ctx) => (ctx.input.buildOnly ? 'build only' : ctx.nb?.server ? false : 'no notebook'),
  async run(ctx) {
    ctx.notebook = await awaitNotebook(ctx.engine, { env: ctx.env, containerId: ctx.containerId!, server: ctx.nb!.server!, request: ctx.input.notebook ?? {}, created: ctx.action === 'created', signal: ctx.input.signal })
    return `ready on 127.0.0.1:${ctx.notebook.port}`
  },
}

function result(ctx: Ctx): UpResult {
  const r = ctx.plan.resolved
  const spec = ctx.input.buildOnly ? null : envSpec(ctx)
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
    notebook: ctx.notebook,
    buildSteps: [...ctx.buildSteps.values()],
    notes: ctx.notes,
    warnings: [...ctx.notices, ...r.warnings],
  }
}

export function upSteps(): Step<Ctx>[] {
  return [resolveStep, engineStep, baseStep, buildStep, lockStep, startStep, notebookStep]
}

export async function up(input: UpInput, runSteps: <C>(steps: Step<C>[], ctx: C) => Promise<void>): Promise<UpResult> {
  const ctx = { input, notices: [], notes: [], buildSteps: new Map(), built: false, containerId: null, existing: null, nb: null, notebook: null, gpus: null, action: 'created' } as unknown as Ctx
  await runSteps(upSteps(), ctx)
  return result(ctx)
}
