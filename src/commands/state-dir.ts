import { homedir, tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'

/**
 * envctl's per-user state folder, found here at the edge: $XDG_STATE_HOME/envctl, else ~/.local/state/envctl.
 * The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
 */
export function stateDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const xdg = env.XDG_STATE_HOME
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME || home, '.local', 'state')
  return join(base, 'envctl')
}

/**
 * Where per-environment lock files live: one folder for every user of this machine (sticky, like /tmp), since
 * an environment named with --name can be shared by two users and prune must see every user's runs.
 */
export function lockDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.ENVCTL_LOCK_DIR && isAbsolute(env.ENVCTL_LOCK_DIR) ? env.ENVCTL_LOCK_DIR : join(tmpdir(), 'envctl-locks')
}
