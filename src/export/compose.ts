import type { ExportPlan } from './export-plan.js'
import { composeServices, dataVolumes, dependsOnServices } from './compose-services.js'
import { port, sortedEnv } from './compose-fields.js'
import { CACHES, cacheVolume } from '../environment/container/container-plan.js'
import { toYaml, type YamlValue } from './yaml.js'
import { replaceMarkers } from './secret-refs.js'

/** What Compose says when a password's variable is unset (docker-compose 1.29 reads `${VAR:?message}`). */
export const MISSING_SECRET = 'set it in the .env file beside this Compose file (envctl export -o FILE writes one)'

/** A generated password as the Compose file names it: a variable from .env beside the file, required. */
export const composeSecretRef = (variable: string): string => `\${${variable}:?${MISSING_SECRET}}`

// Compose interpolates `$VAR` and `${VAR}` in every value; `$$` is a literal dollar. Values come from the
// stack (env, paths), so each one is escaped here; the only variables the file reads are the generated
// passwords (secret-refs.ts), which are not in the file at all.
function literal(s: string): string {
  return replaceMarkers(s.replace(/\$/g, '$$$$'), composeSecretRef)
}

function escapeAll(v: YamlValue): YamlValue {
  if (typeof v === 'string') return literal(v)
  if (Array.isArray(v)) return v.map(escapeAll)
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, x === undefined ? x : escapeAll(x)]))
  return v
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
 * A Compose file (the Compose specification, no `version:` key): the container `envctl up` creates, field for
 * field, and the stack's services beside it on the project's default network, where each is reachable by its
 * name. Cache volumes keep their envctl names, so both share them; they are `external`, so that
 * `docker-compose down -v` removes the services' data but never envctl's shared caches (`envctl build` makes them).
 */
export function renderCompose(x: ExportPlan, input: ComposeInput): string {
  const c = x.container
  const volumes = (c.mounts ?? []).map((m) => ({
    type: m.type,
    source: m.type === 'bind' && m.target === '/workspace' ? input.workspaceRef : m.source,
    target: m.target,
    ...(m.readOnly ? { read_only: true } : {}),
  }))
  const named = (CACHES[x.planned.plan.resolved.runtime] ?? []).map((k) => [cacheVolume(k.kind), { name: cacheVolume(k.kind), external: true }] as const)
  const service: Record<string, YamlValue | undefined> = {
    image: c.image,
    user: c.user ?? undefined,
    working_dir: c.workdir ?? undefined,
    hostname: c.hostname ?? undefined,
    init: c.init ?? false,
    environment: sortedEnv({ ...x.connect, ...c.env }),
    labels: c.labels ?? {},
    volumes,
    ports: (c.ports ?? []).map(port),
    shm_size: c.shmSizeBytes ?? undefined,
    ulimits: Object.fromEntries((c.ulimits ?? []).map((u) => [u.name, { soft: u.soft, hard: u.hard }])),
    deploy: gpuDevices(x),
    depends_on: dependsOnServices(x.services.map((s) => s.plan)),
  }
  const doc: Record<string, YamlValue> = { services: { ...composeServices(x), [x.name]: service } }
  const top = [...named, ...dataVolumes(x)]
  if (top.length) doc.volumes = Object.fromEntries(top)
  return toYaml(escapeAll(doc))
}
