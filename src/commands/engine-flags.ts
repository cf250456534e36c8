import { homedir } from 'node:os'
import { Flags } from '@oclif/core'
import { resolveEngineEndpoint, type EngineEndpoint } from '../engine/engine-endpoint.js'

/**
 * The engine endpoint as the docker CLI finds it: --docker-host/--host (a base flag), DOCKER_HOST,
 * DOCKER_CONTEXT, the Docker config's current context, the local socket; read here, at the edge.
 */
export function engineEndpointFrom(flags: { 'docker-host'?: string }): EngineEndpoint {
  return resolveEngineEndpoint({ flagHost: flags['docker-host'], env: process.env, configDir: dockerConfigDir() })
}

export const nameFlag = Flags.string({ summary: 'Environment name (default: the project name, or <folder>-<stack> for a built-in stack).' })

/** Where `docker login` keeps credentials: DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(): string {
  return process.env.DOCKER_CONFIG ?? `${homedir()}/.docker`
}
