import { homedir } from 'node:os'
import { envctlPaths, type EnvctlPaths } from '../config/paths.js'

/** User config, git cache and Docker config folders from XDG_CONFIG_HOME, XDG_CACHE_HOME, DOCKER_CONFIG and HOME: read here, at the edge. */
export function userPaths(): EnvctlPaths {
  return envctlPaths(process.env, homedir())
}
