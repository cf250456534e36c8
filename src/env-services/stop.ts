import type { Engine } from '../engine/engine.js'
import { LABEL } from '../environment/naming.js'

/** Stops an environment's running services (after the environment that uses them); returns their container names. */
export async function stopServices(engine: Engine, envKey: string): Promise<string[]> {
  const running = await engine.listContainers({ labels: { [LABEL.serviceOf]: envKey } })
  await Promise.all(running.map((c) => engine.stopContainer(c.id)))
  return running.map((c) => c.name).sort()
}
