import { Args, Flags } from '@oclif/core'
import { realpathSync } from 'node:fs'
import type { Engine } from '../engine/engine.js'
import type { EnvTarget } from '../environment/target.js'
import { engineEndpointFrom } from './engine-flags.js'

/** The optional NAME every lifecycle command takes. Never read from stdin: that belongs to the shell or command. */
export const envNameArg = Args.string({
  name: 'name',
  description: 'Environment name (default: the project in this folder, named as `envctl up` names it).',
  ignoreStdin: true,
})

export const userFlag = Flags.string({ char: 'u', summary: 'Run as this user (name or uid[:gid]); default: the environment\'s user, your uid:gid.' })

/** NAME, else the environment of the folder this runs in, for the user who runs it: read here, at the edge. */
export async function targetEnv(name: string | undefined): Promise<EnvTarget> {
  const { projectNameIn } = await import('../environment/target.js')
  const workspace = realpathSync(process.cwd())
  const uid = process.getuid?.() ?? 0
  if (name) return { name, workspace, uid }
  return { workspace, uid, projectName: readableProjectName(projectNameIn, workspace) }
}

/** A broken envctl.toml must not stop `down` or `logs` from finding the environment: then it is by folder alone. */
function readableProjectName(read: (dir: string) => string | undefined, dir: string): string | undefined {
  try {
    return read(dir)
  } catch {
    return undefined
  }
}

/** How a spinner names what a command works on. */
export function targetText(t: EnvTarget): string {
  return t.name ?? `the environment of ${t.workspace}`
}

async function connect(flags: { 'docker-host'?: string }): Promise<Engine> {
  const { connectEngine } = await import('../engine/connect.js')
  return connectEngine({ ...engineEndpointFrom(flags), sshAgent: process.env.SSH_AUTH_SOCK })
}

/** The engine from --docker-host / DOCKER_HOST / the Docker context, checked with a short ping so a dead one fails fast. */
export async function engineFor(flags: { 'docker-host'?: string }): Promise<Engine> {
  const engine = await connect(flags)
  await engine.ping()
  return engine
}

/**
 * Like engineFor, for the commands that start at once (ls, exec): `use` starts beside the ping instead of one
 * round trip after it. A dead engine still fails with the ping's message, and `use`'s own failure is told only
 * when the ping answered. Over ssh:// the ping goes first: a second channel opened beside it on a host without
 * docker can be cut off before its exit status says so, and that message is the one the user needs.
 */
export async function withEngine<T>(flags: { 'docker-host'?: string }, use: (engine: Engine) => Promise<T>): Promise<T> {
  const engine = await connect(flags)
  if (engine.host.startsWith('ssh://')) {
    await engine.ping()
    return use(engine)
  }
  const pinged = engine.ping()
  const used = use(engine)
  used.catch(() => {}) // awaited below, once the ping has answered
  await pinged
  return used
}
