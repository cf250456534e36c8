import { basename } from 'node:path'
import type { ContainerSpec, GpuRequest } from '../engine/engine.js'
import type { Plan } from '../project/plan.js'
import type { Planned } from '../environment/up/context.js'
import { renderPlan } from '../environment/up/steps-prepare.js'
import { containerPlan } from '../environment/container/container-plan.js'
import { RUNTIME_BUNDLE } from '../environment/container/ca-files.js'
import { envName, LABEL } from '../environment/naming.js'
import { hasBuildSecrets } from '../render/secrets.js'
import { envIdentity } from '../environment/identity.js'
import { loadServiceCatalog, type CatalogEntry, type ServiceCatalog } from '../env-services/catalog.js'
import { planServices, type ServicePlan } from '../env-services/plan.js'
import { secretsWanted } from '../env-services/secrets.js'
import { markerValues, secretRefs, type SecretRef } from './secret-refs.js'

export type ExportKind = 'compose' | 'devcontainer' | 'k8s'

export interface ExportInput {
  /** The workspace's canonical real path, resolved at the edge. */
  workspace: string
  uid: number
  gid: number
  /** data/services/catalog.json, read at the edge (the default reads the shipped one). */
  catalog?: ServiceCatalog
}

/** A service beside the environment, as `envctl up` plans it, with the catalog entry it matched. */
export interface ExportService {
  plan: ServicePlan
  entry: CatalogEntry | null
}

/** What every export renders: the image `envctl up` builds for this plan, and the container it would create. */
export interface ExportPlan {
  name: string
  planned: Planned
  container: ContainerSpec
  gpus: GpuRequest | null
  /** In start order. */
  services: ExportService[]
  /**
   * The services' connection variables the environment gets (DATABASE_URL, …), hosts as `up` names them; one the
   * stack's [env] sets is left out, as `up` leaves it out (the image has it, and the stack wins).
   */
  connect: Record<string, string>
  /** The services' generated passwords, by the variable each export names them (their values are markers in the plan). */
  secrets: SecretRef[]
  /** The container `envctl up` names this environment's: the key of the passwords it keeps in the state folder. */
  upContainer: string
  warnings: string[]
}

/**
 * envctl up writes the image's system roots plus the CA into the container before it starts; an exported
 * container has no such step, so the variables naming that file are left out (NODE_EXTRA_CA_CERTS, which
 * names the mounted CA itself, stays).
 */
function withoutRuntimeBundle(env: Record<string, string>): { env: Record<string, string>; dropped: string[] } {
  const dropped = Object.keys(env).filter((k) => env[k] === RUNTIME_BUNDLE)
  return { env: Object.fromEntries(Object.entries(env).filter(([k]) => !dropped.includes(k))), dropped }
}

/** Labels that say what the container runs; not envctl's ownership labels, so `envctl ls/down/prune` leave it alone. */
function exportLabels(spec: ContainerSpec): Record<string, string> {
  const l = spec.labels ?? {}
  return { [LABEL.stack]: l[LABEL.stack], [LABEL.specHash]: l[LABEL.specHash] }
}

/** The plan as `envctl up` would run it (same image tag and hash, same container shape), for the renderers. */
export function exportPlan(p: Plan, input: ExportInput): ExportPlan {
  const gpus: GpuRequest | null = p.resolved.gpu ? { count: 'all' } : null
  const planned = renderPlan(p, gpus)
  const name = envName(p.spec, basename(input.workspace), p.lockPath !== null)
  const catalog = input.catalog ?? loadServiceCatalog()
  const id = envIdentity({ stack: p.spec.name, isProject: p.lockPath !== null, workspace: input.workspace, uid: input.uid })
  const secrets = secretRefs(secretsWanted(p.spec, catalog))
  const sp = planServices(p.spec, id, catalog, { secrets: markerValues(secrets) })
  const services = sp.services.map((s) => ({ plan: s, entry: s.kind ? catalog.services[s.kind] ?? null : null }))
  const connect = Object.fromEntries(Object.entries(sp.connect).filter(([k]) => p.spec.env[k] === undefined))
  const spec = containerPlan({ resolved: p.resolved, name, env: name, image: planned.tag, hash: planned.hash, workspace: input.workspace, uid: input.uid, gid: input.gid, gpus })
  const { env, dropped } = withoutRuntimeBundle(spec.env ?? {})
  const warnings = [...p.resolved.warnings]
  if (dropped.length) warnings.push(`${dropped.join(', ')} not exported: envctl up writes the combined CA bundle they name into the container, which the export cannot (the CA itself is mounted at its path)`)
  if (hasBuildSecrets(p.resolved)) warnings.push('mirror or proxy credentials are not exported: give them to the container yourself (a pip.conf or .npmrc in the workspace, or a secret)')
  return { name, planned, container: { ...spec, env, labels: exportLabels(spec) }, gpus, services, connect, secrets, upContainer: id.container, warnings }
}
