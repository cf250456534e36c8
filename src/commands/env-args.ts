import { Args, Flags } from '@oclif/core'
import type { Engine } from '../engine/engine.js'
import { engineHostFrom } from './engine-flags.js'

/** The optional NAME every lifecycle command takes. Never read from stdin: that belongs to the shell or command. */
export const envNameArg = Args.string({
  name: 'name',
  description: 'Environment name (default: the project in this folder, named as `envctl up` names it).',
  ignoreStdin: true,
})

export const userFlag = Flags.string({ char: 'u', summary: 'Run as this user (name or uid[:gid]); default: the environment\'s user, your uid:gid.' })

/** NAME, else the current folder's project: read here, at the edge. */
export async function targetEnv(name: string | undefined): Promise<string> {
  if (name) return name
  const { currentEnvName } = await import('../environment/target.js')
  return currentEnvName(process.cwd())
}

/** The engine from --docker-host / DOCKER_HOST, checked with a short ping so a dead one fails fast. */
export async function engineFor(flags: { 'docker-host'?: string }): Promise<Engine> {
  const { connectEngine } = await import('../engine/connect.js')
  const engine = await connectEngine({ host: engineHostFrom(flags), sshAgent: process.env.SSH_AUTH_SOCK })
  await engine.ping()
  return engine
}
