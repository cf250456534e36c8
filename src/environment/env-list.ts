import type { ContainerStatus, ContainerSummary } from '../engine/engine.js'
import { age, formatTable } from '../ui/table.js'
import { LABEL } from './naming.js'

export interface EnvSummary {
  name: string
  container: string
  id: string
  status: ContainerStatus
  /** The engine's own words, e.g. "Up 3 minutes" or "Exited (137) 2 seconds ago". */
  statusText: string
  image: string
  stack: string | null
  workspace: string | null
  /** The uid it runs as and belongs to; null for one made by an earlier envctl, which did not record it. */
  owner: number | null
  /** "127.0.0.1:8888->8888/tcp" */
  ports: string[]
  gpu: boolean
  /** Which GPUs, in --gpus words (none, all, count=N, device=IDS); "unknown" for one made by an envctl that did not record it. */
  gpus: string
  /** ISO 8601. */
  created: string
}

/** A folder's environments: those of this user with the folder (its real path) as workspace. */
export interface ProjectScope {
  workspace: string
  uid: number
}

export function inScope(c: ContainerSummary, scope: ProjectScope | null): boolean {
  if (!scope) return true
  return c.labels[LABEL.workspace] === scope.workspace && (c.labels[LABEL.uid] ?? String(scope.uid)) === String(scope.uid)
}

export function toEnvSummary(c: ContainerSummary): EnvSummary {
  return {
    name: c.labels[LABEL.project] ?? c.name,
    container: c.name,
    id: c.id,
    status: c.status,
    statusText: c.statusText,
    image: c.image,
    stack: c.labels[LABEL.stack] ?? null,
    workspace: c.labels[LABEL.workspace] ?? null,
    owner: c.labels[LABEL.uid] === undefined ? null : Number(c.labels[LABEL.uid]),
    ports: c.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.protocol}`),
    gpu: c.labels[LABEL.gpu] === 'true',
    gpus: c.labels[LABEL.gpus] ?? (c.labels[LABEL.gpu] === 'true' ? 'unknown' : 'none'),
    created: new Date(c.created * 1000).toISOString(),
  }
}

/** Sorted by name, so the list reads the same every time. */
export function sortEnvs(envs: EnvSummary[]): EnvSummary[] {
  const key = (e: EnvSummary) => `${e.name}\0${e.container}`
  return [...envs].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
}

export function envTable(envs: readonly EnvSummary[], nowMs: number): string {
  const rows = envs.map((e) => [e.name, e.container, e.status, e.image, e.stack ?? '-', e.workspace ?? '-', e.owner === null ? '-' : `uid ${e.owner}`, e.gpus, e.ports.join(', ') || '-', age(Date.parse(e.created), nowMs)])
  return formatTable(['NAME', 'CONTAINER', 'STATUS', 'IMAGE', 'STACK', 'WORKSPACE', 'OWNER', 'GPUS', 'PORTS', 'CREATED'], rows)
}
