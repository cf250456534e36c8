import type { Engine } from '../engine/engine.js'
import { LABEL } from './naming.js'
import { isTransient } from './find.js'
import { inScope, sortEnvs, toEnvSummary, type EnvSummary, type ProjectScope } from './env-list.js'
import { listedUrl } from '../notebook/read-token.js'
import { servicesByEnv, type ServiceEntry } from '../env-services/list.js'

export type { EnvSummary } from './env-list.js'

/** An environment, its notebook URL (token hidden unless asked for, null without a notebook) and its services. */
export type EnvEntry = EnvSummary & { notebook: string | null; services: ServiceEntry[] }

/** envctl's environments, found only by label; `project` narrows them to one project's, null lists all. */
export async function listEnvs(engine: Engine, project: ProjectScope | null, opts: { showToken?: boolean } = {}): Promise<EnvEntry[]> {
  const all = await engine.listContainers({ labels: { [LABEL.managed]: '1', [LABEL.project]: true }, all: true })
  const mine = new Map(all.filter((c) => !isTransient(c) && inScope(c, project)).map((c) => [c.id, c]))
  const services = await servicesByEnv(engine)
  const servicesOf = (id: string) => services.get(mine.get(id)!.labels[LABEL.envKey] ?? '') ?? []
  return Promise.all(sortEnvs([...mine.values()].map(toEnvSummary)).map(async (e) => ({ ...e, notebook: await listedUrl(engine, mine.get(e.id)!, opts.showToken === true), services: servicesOf(e.id) })))
}
