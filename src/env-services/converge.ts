// Services are converged as a transaction, like the environment container (up/replace.ts): what this run
// creates is removed on failure, a replaced service is stopped and set aside under another name until its
// replacement is healthy, then started again if the replacement fails. Nothing is removed for good until
// commit(), which up runs once the environment itself is in place.
import { randomBytes } from 'node:crypto'
import type { ContainerSummary, Engine } from '../engine/engine.js'
import { LABEL } from '../environment/naming.js'
import { ensureServiceImage } from './ensure-image.js'
import type { CredentialsFor } from '../engine/docker-config-file.js'
import { waitHealthy } from './health.js'
import { pinnedSpec, type ServicePlan, type ServicesPlan } from './plan.js'

export interface ServicesRun {
  plan: ServicesPlan
  createdNetwork: boolean
  createdVolumes: string[]
  created: string[]
  /** Previous containers of changed services: stopped and renamed until commit. */
  setAside: Array<{ id: string; name: string; wasRunning: boolean }>
  /** Service containers no longer in the stack: removed at commit. */
  orphans: ContainerSummary[]
  /** What each service did, for the result. */
  actions: Array<{ name: string; action: 'kept' | 'started' | 'created' | 'replaced' }>
  /** The registry digest each service runs at, for envctl.lock; absent for an image without one. */
  digests: Record<string, string>
  committed: boolean
}

export interface ConvergeOptions {
  registry?: string
  /** Registry credentials from the Docker config, for pulling service images. */
  credentials?: CredentialsFor
  signal?: AbortSignal
}

async function ensureNetwork(engine: Engine, run: ServicesRun): Promise<void> {
  const have = await engine.listNetworks({ labels: { [LABEL.serviceOf]: run.plan.labels[LABEL.serviceOf]! } })
  if (have.some((n) => n.name === run.plan.network)) return
  await engine.createNetwork({ name: run.plan.network, labels: run.plan.labels })
  run.createdNetwork = true
}

async function ensureVolume(engine: Engine, run: ServicesRun, s: ServicePlan): Promise<void> {
  if (!s.volume) return
  const have = await engine.listVolumes({ labels: { [LABEL.serviceOf]: run.plan.labels[LABEL.serviceOf]! } })
  if (have.some((v) => v.name === s.volume)) return
  await engine.createVolume({ name: s.volume, labels: { ...run.plan.labels, [LABEL.service]: s.name } })
  run.createdVolumes.push(s.volume)
}

async function keepOrStart(engine: Engine, run: ServicesRun, s: ServicePlan, cur: ContainerSummary, opts: ConvergeOptions): Promise<void> {
  const running = cur.status === 'running'
  if (!running) await engine.startContainer(cur.id)
  await waitHealthy(engine, cur.id, s, opts.signal)
  run.actions.push({ name: s.name, action: running ? 'kept' : 'started' })
}

async function createFresh(engine: Engine, run: ServicesRun, s: ServicePlan, cur: ContainerSummary | undefined, opts: ConvergeOptions): Promise<void> {
  await ensureVolume(engine, run, s)
  if (cur) {
    // The data volume cannot serve two databases at once: the old one stops first, and comes back on failure.
    await engine.stopContainer(cur.id)
    await engine.renameContainer(cur.id, `${s.container}-old-${randomBytes(3).toString('hex')}`)
    run.setAside.push({ id: cur.id, name: cur.name, wasRunning: cur.status === 'running' })
  }
  const id = await engine.createContainer(s.spec)
  run.created.push(id)
  await engine.startContainer(id)
  await waitHealthy(engine, id, s, opts.signal)
  run.actions.push({ name: s.name, action: cur ? 'replaced' : 'created' })
}

/** Starts every planned service in order, each healthy before the next; unchanged running services are kept. */
export async function convergeServices(engine: Engine, plan: ServicesPlan, run: ServicesRun, opts: ConvergeOptions = {}): Promise<void> {
  const existing = await engine.listContainers({ labels: { [LABEL.serviceOf]: plan.labels[LABEL.serviceOf]! }, all: true })
  // By container name: one set aside by an interrupted run has another name, and is an orphan.
  const byName = new Map(existing.map((c) => [c.name, c]))
  run.orphans = existing.filter((c) => !plan.services.some((s) => s.container === c.name))
  if (plan.services.length) await ensureNetwork(engine, run)
  const engineMirrors = plan.services.length ? (await engine.info()).registryMirrors : []
  for (const planned of plan.services) {
    const image = await ensureServiceImage(engine, planned, { ...opts, engineMirrors })
    if (image.digest) run.digests[planned.name] = image.digest
    // Run by digest where there is one: a tag moved upstream cannot change a kept service.
    const s = image.ref === planned.spec.image ? planned : { ...planned, spec: pinnedSpec(planned, image.ref) }
    const cur = byName.get(s.container)
    if (cur && cur.labels[LABEL.configHash] === s.spec.labels![LABEL.configHash]) await keepOrStart(engine, run, s, cur, opts)
    else await createFresh(engine, run, s, cur, opts)
  }
}

export function newServicesRun(plan: ServicesPlan): ServicesRun {
  return { plan, createdNetwork: false, createdVolumes: [], created: [], setAside: [], orphans: [], actions: [], digests: {}, committed: false }
}

/** The new set is in place: the set-aside and orphaned containers go; with no services left, the network too. */
export async function commitServices(engine: Engine, run: ServicesRun): Promise<void> {
  for (const old of run.setAside) await engine.removeContainer(old.id, { force: true })
  for (const o of run.orphans) await engine.removeContainer(o.id, { force: true })
  if (run.plan.services.length === 0) await engine.removeNetwork(run.plan.network).catch(() => {})
  run.committed = true
}

/** Undoes an uncommitted run; returns what could not be undone. */
export async function rollbackServices(engine: Engine, run: ServicesRun): Promise<string[]> {
  if (run.committed) return []
  const problems: string[] = []
  const attempt = (what: string, p: Promise<unknown>) => p.catch((e: Error) => problems.push(`could not ${what}: ${e.message}`))
  for (const id of run.created) await attempt(`remove the half-made service container ${id.slice(0, 12)}`, engine.removeContainer(id, { force: true }))
  for (const old of run.setAside) {
    await attempt(`give ${old.name} its name back`, engine.renameContainer(old.id, old.name))
    if (old.wasRunning) await attempt(`start ${old.name} again`, engine.startContainer(old.id))
  }
  for (const v of run.createdVolumes) await attempt(`remove the data volume ${v}`, engine.removeVolume(v, { force: true }))
  if (run.createdNetwork) await attempt(`remove the network ${run.plan.network}`, engine.removeNetwork(run.plan.network))
  return problems
}
