import { isAbsolute, join } from 'node:path'

/** Where envctl keeps personal files, worked out once at the edge (commands) and passed inward. */
export interface EnvctlPaths {
  /** The user config: $XDG_CONFIG_HOME/envctl/config.toml, default ~/.config/envctl/config.toml. */
  userConfig: string
  /** Clones of git sources that stack files extend: $XDG_CACHE_HOME/envctl/git, default ~/.cache/envctl/git. */
  gitCache: string
  /** Docker's config folder (registry credentials): $DOCKER_CONFIG, default ~/.docker. */
  dockerConfig: string
  /** The user's home, for `~/` in paths the user config names. */
  home: string
}

/** XDG base directories: a relative value is invalid by the spec and ignored. */
function xdg(value: string | undefined, fallback: string): string {
  return value && isAbsolute(value) ? value : fallback
}

export function envctlPaths(env: Readonly<Record<string, string | undefined>>, home: string): EnvctlPaths {
  return {
    userConfig: join(xdg(env.XDG_CONFIG_HOME, join(home, '.config')), 'envctl', 'config.toml'),
    gitCache: join(xdg(env.XDG_CACHE_HOME, join(home, '.cache')), 'envctl', 'git'),
    dockerConfig: env.DOCKER_CONFIG || join(home, '.docker'),
    home,
  }
}

/** `~/x` → `<home>/x`; other paths unchanged. */
export function expandHome(path: string, home: string | undefined): string {
  return home && (path === '~' || path.startsWith('~/')) ? join(home, path.slice(1)) : path
}
