import type { Engine } from '../engine/engine.js'
import { LABEL } from './naming.js'
import { isTransient } from './find.js'
import { inScope, sortEnvs, toEnvSummary, type EnvSummary, type ProjectScope } from './env-list.js'
import { listedUrl } from '../notebook/read-token.js'

export type { EnvSummary } from './env-list.js'

/** An environment and its notebook URL (token hidden unless asked for), or null without a notebook. */
export type EnvEntry = EnvSummary & { notebook: string | null }

/** envctl's environments, found only by label; `project` narrows them to one project's, null lists all. */
export async function listEnvs(engine: Engine, project: ProjectScope | null, opts: { showToken?: boolean } = {}): Promise<EnvEntry[]> {
  const all = await engine.listContainers({ labels: { [LABEL.managed]: '1', [LABEL.project]: true }, all: true })
  const mine = new Map(all.filter((c) => !isTransient(c) && inScope(c, project)).map((c) => [c.id, c]))
  return Promise.all(sortEnvs([...mine.values()].map(toEnvSummary)).map(async (e) => ({ ...e, notebook: await listedUrl(engine, mine.get(e.id)!, opts.showToken === true) })))
}
