import type { Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { envLabelName, requireEnv, type EnvTarget } from '../environment/target.js'
import { LABEL } from '../environment/naming.js'

/** What `up` needs to bring an environment back: its stack reference, folder and name. */
export interface UpTarget {
  ref?: string
  cwd: string
  workspace: string
  name?: string
}

/**
 * An existing environment, found by label, as `up` arguments: a project folder (it has envctl.toml) is
 * used as it is; otherwise the environment came from a built-in stack, named by its stack label. Only an
 * environment named with --name is named again, so `up` reaches the same identity.
 */
export async function upTargetOf(engine: Engine, target: EnvTarget, isProjectDir: (dir: string) => boolean): Promise<UpTarget> {
  const c = await requireEnv(engine, target)
  const env = envLabelName(c)
  const workspace = c.labels[LABEL.workspace]
  if (!workspace) throw new EnvctlError('NOT_FOUND', `environment ${env} does not record its workspace`, { hint: `run envctl up --notebook in its folder` })
  const owner = c.labels[LABEL.uid]
  if (owner !== undefined && owner !== String(target.uid)) {
    throw new EnvctlError('USAGE', `environment ${env} (${c.name}) belongs to uid ${owner}, not to you`, { hint: `run envctl notebook in ${workspace} to get your own environment there` })
  }
  const name = c.labels[LABEL.named] === '1' ? env : undefined
  if (isProjectDir(workspace)) return { cwd: workspace, workspace, name }
  return { ref: c.labels[LABEL.stack], cwd: workspace, workspace, name }
}
