import type { Engine } from '../engine/engine.js'
import { LABEL } from '../environment/naming.js'

export interface ServicesRemoved {
  /** Service containers removed. */
  containers: string[]
  /** Data volumes removed (only with volumes: true). */
  volumes: string[]
  /** Data volumes kept for the next up. */
  keptVolumes: string[]
}

/** Removes an environment's services and their network; their data volumes only when asked. */
export async function removeServices(engine: Engine, envKey: string, opts: { volumes: boolean }): Promise<ServicesRemoved> {
  const mine = { [LABEL.serviceOf]: envKey }
  const containers = await engine.listContainers({ labels: mine, all: true })
  for (const c of containers) await engine.removeContainer(c.id, { force: true })
  for (const n of await engine.listNetworks({ labels: mine })) await engine.removeNetwork(n.name)
  const data = (await engine.listVolumes({ labels: mine })).map((v) => v.name).sort()
  if (opts.volumes) for (const v of data) await engine.removeVolume(v, { force: true })
  return { containers: containers.map((c) => c.name).sort(), volumes: opts.volumes ? data : [], keptVolumes: opts.volumes ? [] : data }
}
