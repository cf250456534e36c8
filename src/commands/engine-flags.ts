import { homedir } from 'node:os'
import { Flags } from '@oclif/core'

/** The engine endpoint: --docker-host (a base flag) wins, then DOCKER_HOST; read here, at the edge. */
export function engineHostFrom(flags: { 'docker-host'?: string }): string | undefined {
  return flags['docker-host'] ?? process.env.DOCKER_HOST ?? undefined
}

export const nameFlag = Flags.string({ summary: 'Environment name (default: the project name, or <folder>-<stack> for a built-in stack).' })

/** Where `docker login` keeps credentials: DOCKER_CONFIG, else ~/.docker. */
export function dockerConfigDir(): string {
  return process.env.DOCKER_CONFIG ?? `${homedir()}/.docker`
}
