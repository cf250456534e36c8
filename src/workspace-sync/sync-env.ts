import type { Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { acquireLock, envLockName } from '../environment/env-lock.js'
import { LABEL } from '../environment/naming.js'
import { envLabelName, isProjectDir, requireEnv, type EnvTarget } from '../environment/target.js'
import { loadPlan } from '../project/plan.js'
import type { EnvctlPaths } from '../config/paths.js'
import { pullWorkspace, type PullResult } from './pull.js'
import { pushWorkspace, type PushResult } from './push.js'
import { findWorkspaceVolume, WORKSPACE_DIR } from './volume.js'

export interface SyncEnvInput {
  env: EnvTarget
  pull: boolean
  uid: number
  gid: number
  stateDir: string
  lockDir: string
  /** User config, git cache and home, read at the edge: the project's stack is read as `up` reads it. */
  paths?: EnvctlPaths
  signal?: AbortSignal
}

export type SyncEnvResult =
  | { action: 'none'; engine: string; reason: string }
  | { action: 'push'; env: string; workspace: string; push: PushResult }
  | { action: 'pull'; env: string; workspace: string; pull: PullResult }

/**
 * `envctl sync`: the environment's uploaded workspace and the local folder, brought in line in one direction
 * (push by default, pull with --pull), under the environment's lock so an `up` does not upload at the same time.
 */
export async function syncEnv(engine: Engine, input: SyncEnvInput): Promise<SyncEnvResult> {
  if (engine.local) return { action: 'none', engine: engine.host, reason: `the engine at ${engine.host} is on this machine: /workspace is this folder, bind-mounted, so there is nothing to sync` }
  const c = await requireEnv(engine, input.env)
  const key = c.labels[LABEL.envKey]
  const workspace = c.labels[LABEL.workspace]
  if (!key || !workspace) throw new EnvctlError('USAGE', `${c.name} was made by an earlier envctl, without a workspace volume`, { hint: 'run envctl up in its folder again' })
  const volume = await findWorkspaceVolume(engine, key)
  if (!volume) throw await noVolume(engine, c.id, envLabelName(c))
  const held = await acquireLock(input.lockDir, envLockName(key), { uid: input.uid, command: 'sync', env: c.name }, { signal: input.signal })
  try {
    const common = { envKey: key, workspace, exclude: excludeList(workspace, input.paths), image: c.imageId, uid: input.uid, gid: input.gid, stateDir: input.stateDir }
    if (input.pull) return { action: 'pull', env: envLabelName(c), workspace, pull: await pullWorkspace(engine, common, volume) }
    return { action: 'push', env: envLabelName(c), workspace, push: await pushWorkspace(engine, common, { volume, created: false }) }
  } finally {
    await held.release()
  }
}

/** `[workspace] exclude` of the project in that folder; a built-in used directly has none. */
function excludeList(workspace: string, paths: EnvctlPaths | undefined): string[] {
  return isProjectDir(workspace) ? loadPlan({ cwd: workspace, paths }).spec.workspaceExclude : []
}

async function noVolume(engine: Engine, id: string, name: string): Promise<EnvctlError> {
  const mount = (await engine.inspectContainer(id)).mounts.find((m) => m.target === WORKSPACE_DIR)
  if (mount?.type === 'bind') {
    return new EnvctlError('USAGE', `${name}'s /workspace is ${mount.source} on the engine's host (workspace = "remote:…"), not an uploaded copy: there is nothing to sync`, { hint: 'bring changes across with git in that clone' })
  }
  return new EnvctlError('NOT_FOUND', `${name} has no workspace volume on ${engine.host}`, { hint: 'envctl up makes it and uploads the workspace' })
}
