import type { ExportPlan } from './export-plan.js'
import { CACHES, cacheVolume } from '../environment/container/container-plan.js'
import { LABEL } from '../environment/naming.js'
import { toYaml, type YamlValue } from './yaml.js'

// Compose interpolates `$VAR` and `${VAR}` in every value; `$$` is a literal dollar. Values come from the
// stack (env, paths), so each one is escaped here, and nothing in the file reads the user's shell environment.
function literal(s: string): string {
  return s.replace(/\$/g, '$$$$')
}

function escapeAll(v: YamlValue): YamlValue {
  if (typeof v === 'string') return literal(v)
  if (Array.isArray(v)) return v.map(escapeAll)
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === undefined ? x : escapeAll(x)]))
  return v
}

function port(p: { containerPort: number; hostPort?: number; hostIp?: string; protocol?: string }): string {
  return `${p.hostIp ?? '127.0.0.1'}:${p.hostPort ?? ''}:${p.containerPort}/${p.protocol ?? 'tcp'}`
}

/** The GPU request as Compose spells `docker run --gpus` (docker-compose 1.28+). */
function gpuDevices(x: ExportPlan): YamlValue | undefined {
  if (!x.gpus) return undefined
  const device = x.gpus.deviceIds?.length ? { device_ids: x.gpus.deviceIds } : { count: x.gpus.count }
  return { resources: { reservations: { devices: [{ driver: 'nvidia', ...device, capabilities: ['gpu'] }] } } }
}

export interface ComposeInput {
  /** The workspace as the Compose file names it: relative to the file's folder, so the file can be committed. */
  workspaceRef: string
}

/**
 * A Compose file (the Compose specification, no `version:` key) with one service: the container `envctl up`
 * creates, field for field. Cache volumes keep their envctl names, so both share them.
 */
export function renderCompose(x: ExportPlan, input: ComposeInput): string {
  const c = x.container
  const volumes = (c.mounts ?? []).map((m) => ({
    type: m.type,
    source: m.type === 'bind' && m.target === '/workspace' ? input.workspaceRef : m.source,
    target: m.target,
    ...(m.readOnly ? { read_only: true } : {}),
  }))
  // Labelled as envctl labels its caches, so Compose and envctl use (and `envctl prune` sees) one volume.
  const named = (CACHES[x.planned.plan.resolved.runtime] ?? []).map((k) => [cacheVolume(k.kind), { name: cacheVolume(k.kind), labels: { [LABEL.managed]: '1', [LABEL.cache]: k.kind } }] as const)
  const service: Record<string, YamlValue | undefined> = {
    image: c.image,
    user: c.user ?? undefined,
    working_dir: c.workdir ?? undefined,
    hostname: c.hostname ?? undefined,
    init: c.init ?? false,
    environment: Object.fromEntries(Object.entries(c.env ?? {}).sort(([a], [b]) => a.localeCompare(b))),
    labels: c.labels ?? {},
    volumes,
    ports: (c.ports ?? []).map(port),
    shm_size: c.shmSizeBytes ?? undefined,
    ulimits: Object.fromEntries((c.ulimits ?? []).map((u) => [u.name, { soft: u.soft, hard: u.hard }])),
    deploy: gpuDevices(x),
  }
  const doc: Record<string, YamlValue> = { services: { [x.name]: service } }
  if (named.length) doc.volumes = Object.fromEntries(named)
  return toYaml(escapeAll(doc))
}
