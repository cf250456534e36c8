import type { Engine } from './engine.js'
import { parseDockerHost } from './docker-host.js'

export interface ConnectOptions {
  /** --docker-host, else DOCKER_HOST, as the edge read it; empty means the local socket. */
  host?: string
  /** SSH agent socket (SSH_AUTH_SOCK) for ssh:// hosts. */
  sshAgent?: string
}

/**
 * Makes an Engine for the given host without contacting it (call ping() for that). dockerode and its
 * dependencies load here (its BuildKit session and ssh2 only when a build or an ssh:// engine calls them), on first use, so commands that never talk to the engine do not pay for them.
 */
export async function connectEngine(opts: ConnectOptions = {}): Promise<Engine> {
  const target = parseDockerHost(opts.host)
  const [{ loadDockerode }, { DockerodeEngine }] = await Promise.all([import('./load-dockerode.js'), import('./dockerode-engine.js')])
  const Docker = loadDockerode()
  const sshOptions = target.options.protocol === 'ssh' && opts.sshAgent ? { agent: opts.sshAgent } : undefined
  const docker = new Docker({ ...target.options, ...(sshOptions ? { sshOptions } : {}) })
  return new DockerodeEngine(docker, target)
}
