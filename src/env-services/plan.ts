import type { ContainerSpec, PortSpec } from '../engine/engine.js'
import { EnvctlError, type Problem } from '../errors/envctl-error.js'
import { configHash } from '../environment/container/container-check.js'
import type { EnvIdentity } from '../environment/identity.js'
import { LABEL } from '../environment/naming.js'
import { parsePortMapping } from '../stack/formats/port-mapping.js'
import { parseSize } from '../stack/formats/size.js'
import { formatKeyPath } from '../stack/key-path.js'
import type { ServiceSpec, StackSpec } from '../stack/types.js'
import { catalogEntryFor, type ServiceCatalog } from './catalog.js'
import { startOrder } from './order.js'
import { connectionEnv } from './connect.js'
import type { SecretValues } from './secrets.js'
import type { LockedService } from '../lock/types.js'

export const DEFAULT_HEALTH_TIMEOUT_S = 60

/** One service as it will be run: its container, its data volume and how to tell it is ready. */
export interface ServicePlan {
  name: string
  /** The catalog entry it matched ("postgres"), or null for an image envctl does not know. */
  kind: string | null
  /** The image as the stack names it. */
  image: string
  /** The digest envctl.lock pinned it at while `image` is unchanged; null when not locked. */
  digest: string | null
  container: string
  /** The named volume holding its data, or null when it keeps none. */
  volume: string | null
  health: { command: string[]; timeoutS: number }
  dependsOn: string[]
  /** Variables the environment gets to reach it (DATABASE_URL, REDIS_URL, …); empty for an image not in the catalog. */
  connect: Record<string, string>
  /** Labelled with its identity and config hash. */
  spec: ContainerSpec
}

export interface ServicesPlan {
  network: string
  /** Labels of the network and data volumes: whose environment they belong to. */
  labels: Record<string, string>
  /** In start order. */
  services: ServicePlan[]
  /** What the environment gets to reach its services; of two services setting one variable, the first in start order wins. */
  connect: Record<string, string>
}

export function serviceLabels(id: EnvIdentity): Record<string, string> {
  return { [LABEL.managed]: '1', [LABEL.serviceOf]: id.key, [LABEL.serviceEnv]: id.name, [LABEL.uid]: String(id.uid) }
}

export const networkName = (id: EnvIdentity): string => `${id.container}-net`
const containerName = (id: EnvIdentity, service: string): string => `${id.container}-${service}`
const volumeName = (id: EnvIdentity, service: string): string => `${id.container}-${service}-data`

function ports(spec: StackSpec, name: string, entries: string[]): PortSpec[] {
  return entries.map((entry, i) => {
    const m = parsePortMapping(entry)
    if ('problem' in m) {
      const location = spec.provenance[formatKeyPath(['services', name, 'ports', i])]
      throw new EnvctlError('INVALID_STACK', m.problem, { problems: [{ message: m.problem, ...(location ? { location } : {}) }] })
    }
    return { containerPort: m.containerPort, hostPort: m.hostPort, protocol: m.protocol, hostIp: '127.0.0.1' }
  })
}

/** The catalog's limits, then the stack's, as the engine takes them (soft = hard). */
function limits(catalog: ServiceSpec['ulimits'], own: ServiceSpec['ulimits']): Pick<ContainerSpec, 'ulimits'> {
  const merged = { ...catalog, ...own }
  const names = Object.keys(merged).sort() as Array<keyof typeof merged>
  return names.length ? { ulimits: names.map((name) => ({ name, soft: merged[name]!, hard: merged[name]! })) } : {}
}

function memory(value: string | undefined): Pick<ContainerSpec, 'memoryBytes'> {
  const size = value === undefined ? undefined : parseSize(value)
  return size && 'bytes' in size ? { memoryBytes: size.bytes } : {}
}

/** What a plan takes besides the stack: generated secrets (secret-store.ts) and the lock's pinned images. */
export interface ServicesInput {
  secrets?: SecretValues
  locked?: Record<string, LockedService>
}

/** The lock's digest only while the stack still names the image it was recorded for. */
const lockedDigest = (locked: LockedService | undefined, image: string): string | null => (locked?.image === image ? locked.digest : null)

function planOne(spec: StackSpec, id: EnvIdentity, catalog: ServiceCatalog, name: string, s: ServiceSpec, input: ServicesInput): ServicePlan {
  const found = catalogEntryFor(catalog, s.image!)
  const data = s.data ?? found?.entry.data ?? 'none'
  const volume = data === 'none' ? null : volumeName(id, name)
  const labels = { ...serviceLabels(id), [LABEL.service]: name, [LABEL.serviceImage]: s.image! }
  const shape: ContainerSpec = {
    name: containerName(id, name),
    image: s.image!,
    // Generated secrets sit under the stack's env, which wins.
    env: { ...found?.entry.env, ...input.secrets?.[name], ...s.env },
    ...(s.command?.length ? { cmd: s.command } : {}),
    mounts: volume ? [{ type: 'volume', source: volume, target: data }] : [],
    ports: ports(spec, name, s.ports ?? []),
    ...limits(found?.entry.ulimits, s.ulimits),
    ...memory(s.memory),
    networkMode: networkName(id),
    networkAliases: [name],
    // A server that is PID 1 without its own SIGTERM handler would make every stop wait out the engine's 10 s.
    init: true,
  }
  return {
    name,
    kind: found?.kind ?? null,
    image: s.image!,
    digest: lockedDigest(input.locked?.[name], s.image!),
    container: shape.name!,
    volume,
    health: {
      command: s.healthcheck?.command ?? found?.entry.healthcheck ?? [],
      timeoutS: s.healthcheck?.timeout ?? found?.entry.timeout ?? DEFAULT_HEALTH_TIMEOUT_S,
    },
    dependsOn: [...(s.dependsOn ?? [])].sort(),
    connect: found ? connectionEnv(found.entry, name, shape.env!) : {},
    spec: { ...shape, labels: { ...labels, [LABEL.configHash]: configHash(shape) } },
  }
}

/** Every service without an image, at once: the one key a service cannot do without. */
function missingImages(spec: StackSpec): Problem[] {
  return Object.entries(spec.services)
    .filter(([, s]) => !s.image)
    .map(([name]) => {
      const location = spec.provenance[formatKeyPath(['services', name])] ?? Object.entries(spec.provenance).find(([k]) => k.startsWith(`${formatKeyPath(['services', name])}.`))?.[1]
      return { message: `services.${name} has no image`, ...(location ? { location } : {}), hint: 'add image = "postgres:16" (a catalog name) or any image reference' }
    })
}

/** The services of a stack as containers on the environment's network, in start order. Pure. */
export function planServices(spec: StackSpec, id: EnvIdentity, catalog: ServiceCatalog, input: ServicesInput = {}): ServicesPlan {
  const problems = missingImages(spec)
  if (problems.length) throw new EnvctlError('INVALID_STACK', 'a service needs an image', { problems })
  const order = startOrder(spec.services, spec.provenance)
  const services = order.map((name) => planOne(spec, id, catalog, name, spec.services[name]!, input))
  const connect = Object.assign({}, ...[...services].reverse().map((s) => s.connect)) as Record<string, string>
  return { network: networkName(id), labels: serviceLabels(id), services, connect }
}

/** A service run from its image's digest: the reference the engine resolves, and a config hash that follows it. */
export function pinnedSpec(s: ServicePlan, ref: string): ContainerSpec {
  const { labels, ...shape } = s.spec
  const spec = { ...shape, image: ref }
  return { ...spec, labels: { ...labels, [LABEL.configHash]: configHash(spec) } }
}
