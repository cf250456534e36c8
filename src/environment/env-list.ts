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
  /** "127.0.0.1:8888->8888/tcp" */
  ports: string[]
  gpu: boolean
  /** ISO 8601. */
  created: string
}

/** Which environments a project owns: those named after it, and any started with its folder as workspace. */
export interface ProjectScope {
  env: string
  workspace: string
}

export function inScope(c: ContainerSummary, scope: ProjectScope | null): boolean {
  return !scope || c.labels[LABEL.project] === scope.env || c.labels[LABEL.workspace] === scope.workspace
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
    ports: c.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.protocol}`),
    gpu: c.labels[LABEL.gpu] === 'true',
    created: new Date(c.created * 1000).toISOString(),
  }
}

/** Sorted by name, so the list reads the same every time. */
export function sortEnvs(envs: EnvSummary[]): EnvSummary[] {
  return [...envs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}

export function envTable(envs: readonly EnvSummary[], nowMs: number): string {
  const rows = envs.map((e) => [e.name, e.status, e.image, e.stack ?? '-', e.workspace ?? '-', e.ports.join(', ') || '-', age(Date.parse(e.created), nowMs)])
  return formatTable(['NAME', 'STATUS', 'IMAGE', 'STACK', 'WORKSPACE', 'PORTS', 'CREATED'], rows)
}
