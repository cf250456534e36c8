import type { Engine } from '../engine/engine.js'
import { LABEL } from './env/naming.js'
import { inScope, sortEnvs, toEnvSummary, type EnvSummary, type ProjectScope } from './env/env-list.js'

export type { EnvSummary } from './env/env-list.js'

/** envctl's environments, found only by label; `project` narrows them to one project's, null lists all. */
export async function listEnvs(engine: Engine, project: ProjectScope | null): Promise<EnvSummary[]> {
  const all = await engine.listContainers({ labels: { [LABEL.managed]: '1', [LABEL.project]: true }, all: true })
  return sortEnvs(all.filter((c) => inScope(c, project)).map(toEnvSummary))
}
