import type { Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { requireEnv } from '../environment/find.js'
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
 * used as it is; otherwise the environment came from a built-in stack, named by its stack label.
 */
export async function upTargetOf(engine: Engine, env: string, isProjectDir: (dir: string) => boolean): Promise<UpTarget> {
  const c = await requireEnv(engine, env)
  const workspace = c.labels[LABEL.workspace]
  if (!workspace) throw new EnvctlError('NOT_FOUND', `environment ${env} does not record its workspace`, { hint: `run envctl up --notebook --name ${env} in its folder` })
  if (isProjectDir(workspace)) return { cwd: workspace, workspace, name: env }
  return { ref: c.labels[LABEL.stack], cwd: workspace, workspace, name: env }
}
