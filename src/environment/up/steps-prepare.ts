import type { Step } from '../../ui/steps.js'
import type { Engine } from '../../engine/engine.js'
import { EnvctlError } from '../../errors/envctl-error.js'
import { connectEngine } from '../../engine/connect.js'
import { loadPlan, resolvePlan, type Plan } from '../../project/plan.js'
import { renderDockerfile } from '../../render/render-dockerfile.js'
import { renderContextFiles } from '../../render/context-files.js'
import { checkNotebookRequest } from '../../notebook/env-notebook.js'
import { checkExposure } from '../../stack/exposure.js'
import { exposureContext } from '../exposure-context.js'
import { acquireLock, awaitFree, envLockName, PRUNE_LOCK, type LockInfo } from '../env-lock.js'
import { imageTag, specHash } from '../naming.js'
import { checkGpusSeen, NO_RUNTIME_HINT, parseGpus } from '../container/gpus.js'
import { buildContextFiles } from '../container/ca-files.js'
import { workspaceMount } from '../container/workspace-mount.js'
import { workspaceVolumeName } from '../../workspace-sync/volume.js'
import { need, type Planned, type UpCtx } from './context.js'
import { identify } from './identify.js'
import { loadServiceCatalog } from '../../env-services/catalog.js'
import { planServices } from '../../env-services/plan.js'
import { loadServiceSecrets } from '../../env-services/service-secrets.js'

function holderText(h: LockInfo | null): string {
  return h ? `envctl ${h.command} (pid ${h.pid}, uid ${h.uid}, since ${h.since})` : 'another envctl'
}

export const lockStep: Step<UpCtx> = {
  title: 'Lock environment',
  async run(ctx) {
    const id = identify(ctx.input)
    ctx.identity = id
    const started = Date.now()
    let waitedFor: LockInfo | null | undefined
    const what = { uid: id.uid, command: ctx.input.buildOnly ? 'build' : 'up', env: id.container }
    ctx.held = await acquireLock(ctx.input.lockDir, envLockName(id.key), what, { signal: ctx.input.signal, onWait: (h) => (waitedFor = h) })
    if (waitedFor === undefined) return id.container
    return `${id.container} (waited ${((Date.now() - started) / 1000).toFixed(1)} s for ${holderText(waitedFor)})`
  },
}

/** The image a plan makes: its Dockerfile, context files, content hash and tag. */
export function renderPlan(p: Plan, gpus: Planned['gpus']): Planned {
  const dockerfile = renderDockerfile(p.resolved)
  const lockFiles = Object.entries(renderContextFiles(p.resolved)).map(([k, v]) => [k, Buffer.from(v)])
  const contextFiles = { ...buildContextFiles(p.resolved, p.spec.provenance['network.ca_bundle']), ...Object.fromEntries(lockFiles) }
  const hash = specHash(dockerfile, contextFiles)
  return { plan: p, gpus, dockerfile, contextFiles, hash, tag: imageTag(p.spec.name, hash) }
}

export const resolveStep: Step<UpCtx> = {
  title: 'Resolve stack',
  async run(ctx) {
    const { input } = ctx
    const loaded = loadPlan({ ref: input.ref, cwd: input.cwd, paths: input.paths })
    const host = parseGpus(input.gpus).kind === 'none' ? { ...input.host, forceCpu: true, cpuBecause: `--gpus ${input.gpus}` } : input.host
    const p = resolvePlan(loaded, { host, frozen: input.frozen })
    if (!input.buildOnly) checkNotebookRequest(input.notebook, p.resolved, input.host.uid)
    // A stack from git or outside the project may not widen exposure unconfirmed.
    checkExposure(p.spec, exposureContext(input, p.userConfig))
    // Services are planned before anything is built: a depends_on cycle is said before a long build, not after.
    const id = need(ctx, 'identity')
    const catalog = loadServiceCatalog()
    ctx.serviceSecrets = await loadServiceSecrets(p.spec, catalog, input.stateDir, id.container)
    ctx.servicesPlan = planServices(p.spec, id, catalog, { secrets: ctx.serviceSecrets.values, locked: p.lock?.services })
    ctx.loaded = loaded
    ctx.plan = p
    return summary(p)
  },
}

function summary(p: Plan): string {
  const r = p.resolved
  return `${r.stack}: ${r.base.image}${r.python ? `, python ${r.python}` : ''}${Object.entries(r.frameworks).map(([k, v]) => `, ${k} ${v}`).join('')}`
}

/**
 * GPU access against what the engine can do, said before anything is built: a request it cannot serve is an
 * error; `auto` falls back to the CPU build (resolved again from the stack already read).
 */
function settleGpus(ctx: UpCtx, engine: Engine, runtimes: string[]): Plan {
  const choice = parseGpus(ctx.input.gpus)
  const p = need(ctx, 'plan')
  if (runtimes.includes('nvidia') || choice.kind === 'none') return p
  if (choice.kind === 'request') throw new EnvctlError('GPU_UNAVAILABLE', `GPU access was requested (--gpus ${ctx.input.gpus}), but the engine at ${engine.host} has no NVIDIA runtime`, { hint: NO_RUNTIME_HINT })
  if (!p.resolved.gpu) return p
  if (p.spec.gpu.mode === 'required') throw new EnvctlError('GPU_UNAVAILABLE', `stack ${p.spec.name} requires a GPU (gpu.mode = "required"), but the engine at ${engine.host} has no NVIDIA runtime`, { hint: NO_RUNTIME_HINT })
  ctx.notices.push(`the engine at ${engine.host} has no NVIDIA runtime: using the CPU build (${NO_RUNTIME_HINT})`)
  return resolvePlan(need(ctx, 'loaded'), { host: { ...ctx.input.host, forceCpu: true }, frozen: ctx.input.frozen })
}

/** The device request: what --gpus asks for, or every GPU for a GPU build; checked against the GPUs a local engine has. */
function gpuRequest(ctx: UpCtx, engine: Engine, p: Plan): Planned['gpus'] {
  const choice = parseGpus(ctx.input.gpus)
  const request = choice.kind === 'request' ? choice.request : p.resolved.gpu ? { count: 'all' as const } : null
  if (request && engine.local) checkGpusSeen(request, ctx.input.host)
  return request
}

/** The engine client, pinged, and what it can run. */
export interface EngineReady {
  engine: Engine
  runtimes: string[]
}

async function contactEngine(input: UpCtx['input']): Promise<EngineReady> {
  const engine = await connectEngine({ ...input.engine, sshAgent: input.sshAgent })
  // The ping says why an engine cannot be reached; info is asked at the same time, its failure told after.
  const [, info] = await Promise.all([engine.ping(), engine.info().then((i) => ({ ok: i }), (err: unknown) => ({ err }))])
  if ('err' in info) throw info.err
  return { engine, runtimes: info.ok.runtimes }
}

/**
 * Starts loading the engine client and asking the engine while the stack is read and planned (that is CPU
 * work here; this is waiting on the engine). Nothing is reported from it until the engine step: a stack
 * problem is still said first, and the engine is only read (ping, info) before the lock is held.
 */
export function contactEngineEarly(ctx: UpCtx): void {
  const early = contactEngine(ctx.input)
  early.catch(() => {}) // told by the engine step, which awaits it
  ctx.engineReady = early
}

export const engineStep: Step<UpCtx> = {
  title: 'Connect to the engine',
  async run(ctx) {
    const { engine, runtimes } = await (ctx.engineReady ?? contactEngine(ctx.input))
    ctx.engine = engine
    const p = settleGpus(ctx, engine, runtimes)
    ctx.plan = p
    ctx.planned = renderPlan(p, gpuRequest(ctx, engine, p))
    if (!ctx.input.buildOnly) settleWorkspace(ctx, engine, p)
    // `prune` keeps what a run in flight is about to use; a prune already under way finishes first.
    await need(ctx, 'held').update({ image: ctx.planned.tag })
    await awaitFree(ctx.input.lockDir, PRUNE_LOCK, { signal: ctx.input.signal })
    return engine.host
  },
}

/** Before anything is built: what /workspace is on this engine (the upload to a volume happens once the image is there). */
function settleWorkspace(ctx: UpCtx, engine: Engine, p: Plan): void {
  const volume = workspaceVolumeName(need(ctx, 'identity'))
  const mount = workspaceMount({ workspace: ctx.input.workspace, setting: p.spec.workspace, at: p.spec.provenance['workspace.path'], engine, volume })
  if (mount.note) ctx.notes.push(mount.note)
  ctx.workspaceMount = mount
}
