import { basename } from 'node:path'
import { sha256 } from '../lock/canonical.js'
import { LABEL, envName } from './naming.js'

/**
 * Which environment a run means. Two folders, or two users, never share one: the key covers the workspace's
 * real path, the stack and the uid. Only an explicit --name is shared, by whoever names it.
 */
export interface EnvIdentity {
  /** Readable name: the project's, folder-stack for a built-in, or --name. */
  name: string
  /** Canonical real path of the workspace. */
  workspace: string
  uid: number
  /** 64 hex digits. */
  key: string
  /** The container's name: envctl-NAME-<8 hex of the key>, or envctl-NAME when named explicitly. */
  container: string
  named: boolean
  /** The name an earlier envctl gave this environment's container (envctl-NAME), to adopt it. */
  legacyContainer: string
}

export interface IdentityInput {
  /** The stack's name (its file's `name`, its folder, or the built-in's name). */
  stack: string
  /** A stack file (as opposed to a built-in used directly). */
  isProject: boolean
  /** Canonical real path, resolved at the edge. */
  workspace: string
  uid: number
  /** --name */
  name?: string
}

export function envIdentity(i: IdentityInput): EnvIdentity {
  const name = envName({ name: i.stack }, basename(i.workspace), i.isProject, i.name)
  const named = Boolean(i.name)
  const key = sha256(named ? `named\0${name}` : `workspace\0${i.workspace}\0stack\0${i.stack}\0uid\0${i.uid}`)
  const container = named ? `envctl-${name}` : `envctl-${name}-${key.slice(0, 8)}`
  return { name, workspace: i.workspace, uid: i.uid, key, container, named, legacyContainer: `envctl-${name}` }
}

/** The labels that say whose environment a container is. */
export function identityLabels(id: EnvIdentity): Record<string, string> {
  return {
    [LABEL.managed]: '1',
    [LABEL.project]: id.name,
    [LABEL.workspace]: id.workspace,
    [LABEL.uid]: String(id.uid),
    [LABEL.envKey]: id.key,
    ...(id.named ? { [LABEL.named]: '1' } : {}),
  }
}
