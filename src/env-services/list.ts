import type { ContainerStatus, Engine } from '../engine/engine.js'
import { LABEL } from '../environment/naming.js'

export interface ServiceEntry {
  name: string
  container: string
  status: ContainerStatus
  /** As the stack names it. */
  image: string
  /** The registry digest it runs from, when envctl.lock pins it; else null. */
  digest: string | null
  /** "127.0.0.1:5432->5432/tcp" */
  ports: string[]
}

/** Every environment's services, by the env-key of the environment they belong to; sorted by name. */
export async function servicesByEnv(engine: Engine): Promise<Map<string, ServiceEntry[]>> {
  const all = await engine.listContainers({ labels: { [LABEL.managed]: '1', [LABEL.serviceOf]: true }, all: true })
  const out = new Map<string, ServiceEntry[]>()
  for (const c of all.filter((c) => c.labels[LABEL.service]).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const key = c.labels[LABEL.serviceOf]!
    const entry = { name: c.labels[LABEL.service]!, container: c.name, status: c.status, image: c.labels[LABEL.serviceImage] ?? c.image, digest: /@(sha256:[a-f0-9]{64})$/.exec(c.image)?.[1] ?? null, ports: c.ports.map((p) => `${p.hostIp}:${p.hostPort}->${p.containerPort}/${p.protocol}`) }
    out.set(key, [...(out.get(key) ?? []), entry])
  }
  return out
}
