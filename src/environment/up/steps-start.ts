import type { ContainerSpec, Engine } from '../../engine/engine.js'
import type { Step } from '../../ui/steps.js'
import { EnvctlError } from '../../errors/envctl-error.js'
import { capture } from '../../ui/capture.js'
import { injectNotebook, notebookCmd, notebookExtras, planNotebook, type NotebookServer } from '../../notebook/env-notebook.js'
import { awaitNotebook } from '../../notebook/await-notebook.js'
import { identityLabels } from '../identity.js'
import { assertNameFree, findEnv } from '../find.js'
import { LABEL } from '../naming.js'
import { containerPlan } from '../container/container-plan.js'
import { ensureCaches } from '../container/caches.js'
import { configHash, containerMismatches } from '../container/container-check.js'
import { injectUser } from '../container/user-setup.js'
import { injectCaBundle } from '../container/ca-files.js'
import { injectCredentials } from '../container/credential-files.js'
import { loweredWarning, settleRefusal, withoutLimit } from '../container/limits.js'
import { LimitRefusedError } from '../../engine/engine-errors.js'
import { need, type UpCtx } from './context.js'
import { commit, portsHeld, transientName, type Replacement } from './replace.js'

const buildOnly = (ctx: UpCtx) => (ctx.input.buildOnly ? 'build only' : false)

/** Everything the container is created with, labelled with its identity and the hash of its configuration. */
function envSpec(ctx: UpCtx, server: NotebookServer | null): ContainerSpec {
  const id = need(ctx, 'identity')
  const p = need(ctx, 'planned')
  const { extraPorts, extraLabels } = notebookExtras(server)
  const spec = containerPlan({
    resolved: p.plan.resolved, name: id.container, env: id.name, image: p.tag, hash: p.hash, workspace: id.workspace, workspaceSource: ctx.workspaceMount?.source, workspaceVolume: ctx.workspaceMount?.volume, localFiles: need(ctx, 'engine').local,
    uid: ctx.input.host.uid, gid: ctx.input.host.gid, gpus: p.gpus, extraPorts, extraLabels: { ...identityLabels(id), ...extraLabels },
  })
  // With services, the environment joins their network, reaches each by its name, and gets their connection
  // variables (DATABASE_URL, REDIS_URL…). Container env would override the image's, so one the stack's [env] sets
  // (baked into the image) is left out: the stack wins.
  const services = ctx.services?.plan
  const own = p.plan.spec.env
  const connect = Object.fromEntries(Object.entries(services?.connect ?? {}).filter(([k]) => own[k] === undefined))
  const network = services?.services.length ? { networkMode: services.network, env: { ...connect, ...spec.env } } : {}
  const full = { ...spec, ...network, ...notebookCmd(server) }
  return { ...full, labels: { ...full.labels, [LABEL.configHash]: configHash(full) } }
}

function checkAborted(ctx: UpCtx): void {
  if (ctx.input.signal?.aborted) throw new EnvctlError('INTERRUPTED', 'interrupted; the half-made container is removed and the previous one kept')
}

/** Before its first start: the user, the CA bundle, credentials and the notebook config, written into this container only. */
async function prepare(ctx: UpCtx, engine: Engine, id: string, server: NotebookServer | null): Promise<void> {
  const { uid, gid } = ctx.input.host
  const p = need(ctx, 'planned')
  await injectUser(engine, id, uid, gid)
  await injectCaBundle(engine, id, p.plan.resolved, p.contextFiles)
  // Mirror and proxy credentials as the user's 0600 files, never container env.
  await injectCredentials(engine, id, p.plan.resolved, uid, gid)
  if (server) await injectNotebook(engine, id, server, p.plan.resolved, uid, gid)
}

/**
 * Creates, prepares and starts the new container under its transient name. A default limit of envctl's that the
 * engine refuses is dropped and the start tried again, with a warning (limits.ts); the config hash stays the
 * planned one, so the next run keeps this container instead of failing over again.
 */
async function createAndStart(ctx: UpCtx, engine: Engine, r: Replacement, server: NotebookServer | null): Promise<void> {
  const { plan } = need(ctx, 'planned')
  for (;;) {
    checkAborted(ctx)
    r.createdId = await engine.createContainer({ ...r.spec, name: transientName(need(ctx, 'identity').container) })
    await prepare(ctx, engine, r.createdId, server)
    checkAborted(ctx)
    try {
      await engine.startContainer(r.createdId)
      break
    } catch (err) {
      if (!(err instanceof LimitRefusedError) || !r.spec.ulimits?.some((u) => u.name === err.limit)) throw err
      const drop = settleRefusal(err, plan.resolved, plan.spec.provenance[`run.ulimits.${err.limit}`], engine.host)
      await engine.removeContainer(r.createdId, { force: true })
      r.spec = withoutLimit(r.spec, drop)
    }
  }
  warnLowered(ctx, r.spec.labels ?? {}, engine.host)
}

function warnLowered(ctx: UpCtx, labels: Record<string, string>, engineHost: string): void {
  const lowered = labels[LABEL.limitsLowered]
  if (lowered) ctx.notices.push(loweredWarning(engineHost, lowered.split(',')))
}

/** The existing container, when it really is this environment as planned (checked on the engine), kept as it is. */
async function keepExisting(ctx: UpCtx, engine: Engine, current: NonNullable<Replacement['old']>, spec: ContainerSpec): Promise<string | null> {
  const info = await engine.inspectContainer(current.id)
  const off = containerMismatches(spec, need(ctx, 'image').id, info)
  if (off.length) {
    ctx.notes.push(`${current.name} is not what it was created as (${off.join('; ')}): replacing it`)
    return null
  }
  warnLowered(ctx, current.labels, engine.host)
  // Credentials are files, not part of the configuration: a rotated password reaches the kept container too.
  const { uid, gid } = ctx.input.host
  await injectCredentials(engine, current.id, need(ctx, 'planned').plan.resolved, uid, gid)
  if (info.running) {
    ctx.settled = { id: current.id, action: 'running', spec, info }
    return 'already running'
  }
  await engine.startContainer(current.id)
  ctx.settled = { id: current.id, action: 'started', spec, info: await engine.inspectContainer(current.id) }
  return 'started the existing container'
}

export const startStep: Step<UpCtx> = {
  title: 'Start environment',
  skip: buildOnly,
  async run(ctx) {
    const engine = need(ctx, 'engine')
    const id = need(ctx, 'identity')
    // Both lists at once; the name check's verdict is given after the strays are cleaned up, as before.
    const [found, clash] = await Promise.all([findEnv(engine, id), assertNameFree(engine, id.container).then(() => null, (e: unknown) => e)])
    for (const s of found.strays) {
      await engine.removeContainer(s.id, { force: true })
      ctx.notes.push(`removed ${s.name}, left by an interrupted envctl up`)
    }
    if (clash) throw clash
    const nb = await planNotebook(engine, ctx.input.notebook, need(ctx, 'planned').plan.resolved, found.current)
    ctx.notebookPlan = nb
    ctx.notes.push(...nb.notes)
    const spec = envSpec(ctx, nb.server)
    const current = found.current
    if (current && !found.legacy && !nb.recreate && current.labels[LABEL.configHash] === spec.labels![LABEL.configHash]) {
      const kept = await keepExisting(ctx, engine, current, spec)
      if (kept) return kept
    }
    if (found.legacy && current) ctx.notes.push(`${current.name} was made by an earlier envctl: replaced by ${id.container} (the workspace is a bind mount; nothing in it is lost)`)
    const r: Replacement = { spec, old: current, stoppedOld: false, createdId: null, committed: false }
    ctx.replacement = r
    const held = portsHeld(current, spec)
    if (current && held.length) {
      await engine.stopContainer(current.id)
      r.stoppedOld = true
      ctx.notes.push(`stopped ${current.name} to free port ${held.join(', ')} for its replacement (it is started again if the replacement fails)`)
    }
    await ensureCaches(engine, need(ctx, 'planned').plan.resolved.runtime)
    await createAndStart(ctx, engine, r, nb.server)
    return current ? 'replacement started' : 'created'
  },
}

function readyId(ctx: UpCtx): string {
  return ctx.replacement?.createdId ?? need(ctx, 'settled').id
}

export const readyStep: Step<UpCtx> = {
  title: 'Start JupyterLab',
  skip: (ctx) => buildOnly(ctx) || (ctx.notebookPlan?.server ? false : 'no notebook'),
  async run(ctx) {
    const server = need(ctx, 'notebookPlan').server!
    ctx.notebook = await awaitNotebook(need(ctx, 'engine'), { env: need(ctx, 'identity').container, containerId: readyId(ctx), server, request: ctx.input.notebook ?? {}, created: ctx.replacement !== null, signal: ctx.input.signal })
    return `ready on 127.0.0.1:${ctx.notebook.port}`
  },
}

async function logTail(engine: Engine, id: string): Promise<{ message: string }[]> {
  const out = capture()
  await engine.logs(id, { tail: 20, stdout: out.stdout, stderr: out.stderr }).catch(() => {})
  const { stdout, stderr } = out.text()
  return `${stdout}${stderr}`.split('\n').filter((l) => l.trim() !== '').map((message) => ({ message }))
}

/**
 * A stack's own run.command may fail as it starts; envctl's default command does not. A quarter second is
 * enough for a command that cannot start at all (a missing file, a bad flag) to have exited.
 */
const SETTLE_MS = 250

/** The new container must be what was planned, as the engine reports it, before it takes the name. */
async function verifyNew(ctx: UpCtx, engine: Engine, id: string, spec: ContainerSpec): Promise<void> {
  if (need(ctx, 'planned').plan.resolved.run.command) await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  const info = await engine.inspectContainer(id)
  if (!info.running && info.exitCode !== 0) {
    throw new EnvctlError('START_FAILED', `the new container exited with code ${info.exitCode} right after it started; its log ends:`, {
      problems: await logTail(engine, id),
      hint: 'fix what the log shows (run.command in the stack file?) and run envctl up again; the previous environment is unchanged',
    })
  }
  const off = containerMismatches(spec, need(ctx, 'image').id, info)
  if (off.length) throw new EnvctlError('START_FAILED', `the engine did not create the container as asked: ${off.join('; ')}`, { hint: 'run envctl doctor; the previous environment is unchanged' })
}

export const swapStep: Step<UpCtx> = {
  title: 'Take over the environment name',
  skip: (ctx) => buildOnly(ctx) || (ctx.replacement ? false : 'nothing replaced'),
  async run(ctx) {
    const engine = need(ctx, 'engine')
    const r = ctx.replacement!
    const name = need(ctx, 'identity').container
    const spec = r.spec
    await verifyNew(ctx, engine, r.createdId!, spec)
    checkAborted(ctx)
    await commit(engine, r, name)
    ctx.settled = { id: r.createdId!, action: r.old ? 'replaced' : 'created', spec, info: await engine.inspectContainer(r.createdId!) }
    return r.old ? `${name} replaced` : name
  },
}
