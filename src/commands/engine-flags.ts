import { homedir } from 'node:os'
import { Flags } from '@oclif/core'
import { readEngineSetting, type EngineSetting } from '../config/engine-setting.js'
import { resolveEngineEndpoint, type EngineEndpoint } from '../engine/engine-endpoint.js'
import { defaultBuiltinDir, displayPath, topFileOf } from '../stack/stack-ref.js'
import { userPaths } from './user-paths.js'

/**
 * The engine endpoint as the docker CLI finds it, with envctl's own files in between: --docker-host/--host
 * (a base flag), DOCKER_HOST, DOCKER_CONTEXT, [engine] in the project's stack file (the STACK argument, else
 * ./envctl.toml), [engine] in the user config, the Docker config's current context, the local socket; read here, at the edge.
 */
export function engineEndpointFrom(flags: { 'docker-host'?: string }, stack?: string): EngineEndpoint {
  return resolveEngineEndpoint({ flagHost: flags['docker-host'], env: process.env, configDir: dockerConfigDir(), configured: configuredEngines(stack) })
}

/** [engine] of the project's stack file, then of the user config; read only when no flag or variable decides first. */
function configuredEngines(stack: string | undefined): () => EngineSetting[] {
  return () => {
    const cwd = process.cwd()
    const project = topFileOf(stack, cwd, defaultBuiltinDir())
    const userConfig = userPaths().userConfig
    return [
      ...(project ? [readEngineSetting(project, displayPath(project, cwd), 'project')] : []),
      readEngineSetting(userConfig, userConfig, 'user'),
    ].filter((s): s is EngineSetting => s !== undefined)
  }
}

export const nameFlag = Flags.string({ summary: 'Environment name (default: the project name, or <folder>-<stack> for a built-in stack).' })

/** Where `docker login` keeps credentials: DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(): string {
  return process.env.DOCKER_CONFIG ?? `${homedir()}/.docker`
}
