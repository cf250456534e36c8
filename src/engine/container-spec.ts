// Pure translations between envctl's container types and the Docker API's shapes.
import type Dockerode from 'dockerode'
import type { ContainerInfo, ContainerSpec, ContainerStatus, ContainerSummary, GpuRequest, LabelFilter, MountSpec, PublishedPort } from './engine.js'

export function toCreateOptions(spec: ContainerSpec): Dockerode.ContainerCreateOptions {
  const ports = spec.ports ?? []
  const portKey = (p: { containerPort: number; protocol?: string }) => `${p.containerPort}/${p.protocol ?? 'tcp'}`
  return {
    name: spec.name,
    Image: spec.image,
    Cmd: spec.cmd,
    Entrypoint: spec.entrypoint,
    Env: spec.env ? Object.entries(spec.env).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${k}=${v}`) : undefined,
    Labels: spec.labels,
    User: spec.user,
    WorkingDir: spec.workdir,
    Hostname: spec.hostname,
    Tty: spec.tty ?? false,
    OpenStdin: spec.openStdin ?? false,
    ExposedPorts: ports.length ? Object.fromEntries(ports.map((p) => [portKey(p), {}])) : undefined,
    HostConfig: {
      Mounts: spec.mounts?.map((m) => ({ Type: m.type, Source: m.source, Target: m.target, ReadOnly: m.readOnly ?? false })),
      PortBindings: ports.length
        ? Object.fromEntries(ports.map((p) => [portKey(p), [{ HostIp: p.hostIp ?? '127.0.0.1', HostPort: p.hostPort ? String(p.hostPort) : '' }]]))
        : undefined,
      DeviceRequests: spec.gpus ? [deviceRequest(spec.gpus)] : undefined,
      ShmSize: spec.shmSizeBytes,
      Memory: spec.memoryBytes,
      Ulimits: spec.ulimits?.map((u) => ({ Name: u.name, Soft: u.soft, Hard: u.hard })),
      NetworkMode: spec.networkMode,
      Init: spec.init,
      AutoRemove: spec.autoRemove ?? false,
    },
    ...(spec.networkMode && spec.networkAliases?.length ? { NetworkingConfig: { EndpointsConfig: { [spec.networkMode]: { Aliases: spec.networkAliases } } } } : {}),
  }
}

function deviceRequest(gpus: NonNullable<ContainerSpec['gpus']>): Dockerode.DeviceRequest {
  const capabilities = gpus.capabilities ?? [['gpu']]
  if (gpus.deviceIds?.length) return { Driver: gpus.driver ?? '', DeviceIDs: gpus.deviceIds, Capabilities: capabilities }
  return { Driver: gpus.driver ?? '', Count: gpus.count === 'all' ? -1 : gpus.count, Capabilities: capabilities }
}

/** Docker's label filter: ["key=value", "key"]; sorted so requests are stable. */
export function labelFilters(labels: LabelFilter | undefined): string | undefined {
  const entries = Object.entries(labels ?? {})
  if (entries.length === 0) return undefined
  const label = entries.map(([k, v]) => (v === true ? k : `${k}=${v}`)).sort()
  return JSON.stringify({ label })
}

export function toContainerInfo(raw: Dockerode.ContainerInspectInfo): ContainerInfo {
  return {
    id: raw.Id,
    name: raw.Name.replace(/^\//, ''),
    image: raw.Config.Image,
    imageId: raw.Image,
    labels: raw.Config.Labels ?? {},
    status: raw.State.Status as ContainerStatus,
    running: raw.State.Running,
    exitCode: raw.State.ExitCode,
    ...(raw.State.Error ? { error: raw.State.Error } : {}),
    ...(raw.State.StartedAt && !raw.State.StartedAt.startsWith('0001') ? { startedAt: raw.State.StartedAt } : {}),
    ports: publishedFromBindings(raw.NetworkSettings?.Ports ?? {}),
    mounts: (raw.Mounts ?? []).map(toMount),
    ...gpusOf(raw.HostConfig?.DeviceRequests),
    ...healthOf(raw.State.Health?.Status),
  }
}

function healthOf(status: string | undefined): { health?: ContainerInfo['health'] } {
  return status === 'starting' || status === 'healthy' || status === 'unhealthy' ? { health: status } : {}
}

/** The first device request back as a GpuRequest (envctl makes one at most). */
function gpusOf(requests: Dockerode.DeviceRequest[] | undefined): { gpus?: GpuRequest } {
  const r = requests?.[0]
  if (!r) return {}
  const gpus: GpuRequest = { count: r.DeviceIDs?.length || r.Count === -1 || r.Count === undefined ? 'all' : r.Count }
  if (r.DeviceIDs?.length) gpus.deviceIds = r.DeviceIDs
  if (r.Capabilities) gpus.capabilities = r.Capabilities
  if (r.Driver) gpus.driver = r.Driver
  return { gpus }
}

function toMount(m: Dockerode.ContainerInspectInfo['Mounts'][number]): MountSpec {
  const type = m.Type === 'volume' ? 'volume' : 'bind'
  return { type, source: type === 'volume' ? (m.Name ?? m.Source) : m.Source, target: m.Destination, readOnly: !m.RW }
}

function publishedFromBindings(ports: Record<string, Array<{ HostIp: string; HostPort: string }> | null>): PublishedPort[] {
  const out: PublishedPort[] = []
  for (const [key, bindings] of Object.entries(ports)) {
    const [port, protocol = 'tcp'] = key.split('/')
    for (const b of bindings ?? []) out.push({ containerPort: Number(port), protocol, hostIp: b.HostIp, hostPort: Number(b.HostPort) })
  }
  return out
}

export function toContainerSummary(raw: Dockerode.ContainerInfo): ContainerSummary {
  return {
    id: raw.Id,
    name: (raw.Names[0] ?? '').replace(/^\//, ''),
    image: raw.Image,
    imageId: raw.ImageID,
    labels: raw.Labels ?? {},
    status: raw.State as ContainerStatus,
    statusText: raw.Status,
    created: raw.Created,
    ports: raw.Ports.filter((p) => p.PublicPort).map((p) => ({
      containerPort: p.PrivatePort,
      protocol: p.Type,
      hostIp: p.IP ?? '',
      hostPort: p.PublicPort,
    })),
  }
}
