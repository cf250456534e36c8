import type { Engine } from '../../engine/engine.js'
import { LABEL } from '../naming.js'
import { CACHES, cacheVolume } from './container-plan.js'

/**
 * The shared cache volumes a runtime's containers mount, made when missing. `build` makes them too: an export
 * (Compose) names them as external volumes, which must exist before `docker-compose up`.
 */
export async function ensureCaches(engine: Engine, runtime: string): Promise<void> {
  const have = new Set((await engine.listVolumes()).map((v) => v.name))
  for (const c of CACHES[runtime] ?? []) {
    if (!have.has(cacheVolume(c.kind))) await engine.createVolume({ name: cacheVolume(c.kind), labels: { [LABEL.managed]: '1', [LABEL.cache]: c.kind } })
  }
}
