import type { ContainerSummary, Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { LABEL, containerName } from './naming.js'

/** The environment's container, found by label (never by a local state file), or null. */
export async function findEnvContainer(engine: Engine, env: string): Promise<ContainerSummary | null> {
  const found = await engine.listContainers({ labels: { [LABEL.managed]: '1', [LABEL.project]: env }, all: true })
  return found[0] ?? null
}

/** A container that holds our name but is not ours must not be touched. */
export async function assertNameFree(engine: Engine, env: string): Promise<void> {
  const name = containerName(env)
  const all = await engine.listContainers({ all: true })
  const clash = all.find((c) => c.name === name && c.labels[LABEL.managed] !== '1')
  if (clash) {
    throw new EnvctlError('NAME_CONFLICT', `a container named ${name} exists and was not made by envctl`, {
      hint: `rename or remove it (docker rm ${name}), or choose another environment name with --name`,
    })
  }
}

/** Resolves NAME (or the current project's environment) to its container, with a helpful error when absent. */
export async function requireEnv(engine: Engine, env: string): Promise<ContainerSummary> {
  const c = await findEnvContainer(engine, env)
  if (!c) throw new EnvctlError('NOT_FOUND', `no environment named ${env}`, { hint: 'start it with `envctl up`, or list environments with `envctl ls --all`' })
  return c
}
