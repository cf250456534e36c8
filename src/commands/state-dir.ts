import { homedir } from 'node:os'
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
