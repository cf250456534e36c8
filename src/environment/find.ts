import type { ContainerSummary, Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { EnvIdentity } from './identity.js'
import { LABEL } from './naming.js'

/** The suffix of a replacement container while it is checked, before it takes the environment's name. */
export const TRANSIENT_SUFFIX = '-next-'

export function isTransient(c: Pick<ContainerSummary, 'name'>): boolean {
  return /-next-[0-9a-f]{8}$/.test(c.name)
}

export interface FoundEnv {
  /** The container under the environment's name, or the one an earlier envctl made for it. */
  current: ContainerSummary | null
  /** Made under the environment's name by an earlier envctl (envctl-NAME), to be replaced by this one. */
  legacy: boolean
  /** Containers with this identity under another name: what an interrupted replace left. */
  strays: ContainerSummary[]
}

/** The environment's container, found by its identity label (never by a local state file). */
export async function findEnv(engine: Engine, id: EnvIdentity): Promise<FoundEnv> {
  const mine = await engine.listContainers({ labels: { [LABEL.managed]: '1', [LABEL.envKey]: id.key }, all: true })
  const current = mine.find((c) => c.name === id.container) ?? null
  const strays = mine.filter((c) => c !== current)
  if (current || id.named) return { current, legacy: false, strays }
  const old = await engine.listContainers({ labels: { [LABEL.managed]: '1', [LABEL.project]: id.name }, all: true })
  const legacy = old.find((c) => c.name === id.legacyContainer && !c.labels[LABEL.envKey] && c.labels[LABEL.workspace] === id.workspace) ?? null
  return { current: legacy, legacy: legacy !== null, strays }
}

/** A container that holds our name but is not ours must not be touched. */
export async function assertNameFree(engine: Engine, name: string): Promise<void> {
  const all = await engine.listContainers({ all: true })
  const clash = all.find((c) => c.name === name && c.labels[LABEL.managed] !== '1')
  if (clash) {
    throw new EnvctlError('NAME_CONFLICT', `a container named ${name} exists and was not made by envctl`, {
      hint: `rename or remove it (docker rm ${name}), or choose another environment name with --name`,
    })
  }
}
