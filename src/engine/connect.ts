import { Agent } from 'node:https'
import { EnvctlError } from '../errors/envctl-error.js'
import type { Engine } from './engine.js'
import { type ModemOptions, parseDockerHost } from './docker-host.js'
import type { EngineEndpoint } from './engine-endpoint.js'
import { loadTls } from './tls-material.js'

export interface ConnectOptions extends Partial<EngineEndpoint> {
  /** SSH agent socket (SSH_AUTH_SOCK) for ssh:// hosts. */
  sshAgent?: string
}

/**
 * Makes an Engine for the given endpoint without contacting it (call ping() for that); its TLS files are
 * read and checked here. dockerode and its dependencies load here (its BuildKit session only when a build
 * calls it; ssh2 and our ssh/ modules only for an ssh:// engine), on first use, so commands that never talk to the engine do not pay for them.
 */
export async function connectEngine(opts: ConnectOptions = {}): Promise<Engine> {
  const parsed = parseDockerHost(opts.host)
  const tlsOn = opts.tls !== undefined && parsed.options.protocol !== 'ssh' && !parsed.local
  const material = tlsOn ? loadTls(opts.tls!) : {}
  const target = { ...parsed, ...(tlsOn ? { options: { ...parsed.options, protocol: 'https' as const }, tls: opts.tls } : {}), source: opts.source ?? (opts.host ? 'the given host' : 'default (the local socket)') }
  const [{ loadDockerode }, { DockerodeEngine }] = await Promise.all([import('./load-dockerode.js'), import('./dockerode-engine.js')])
  const Docker = loadDockerode()
  const ssh = target.options.protocol === 'ssh' ? await sshOptions(target.options, opts.sshAgent) : undefined
  // ca/cert/key always given (undefined when unused): docker-modem would otherwise read DOCKER_CERT_PATH itself.
  // A context with SkipTLSVerify: docker-modem passes no rejectUnauthorized, but it does pass an agent.
  const skipVerify = tlsOn && !opts.tls!.verify ? { agent: new Agent({ rejectUnauthorized: false }) } : {}
  const tlsOptions = { ca: material.ca, cert: material.cert, key: material.key, ...skipVerify }
  return new DockerodeEngine(newDocker(() => new Docker({ ...target.options, ...tlsOptions, ...ssh?.modem })), target, ssh?.tunnel)
}

/** An ssh:// engine is plain HTTP through our agent, whose sockets are channels of one SSH connection (ssh/). */
async function sshOptions(o: ModemOptions, agentSocket: string | undefined) {
  const [{ sshSession }, { sshDockerAgent }] = await Promise.all([import('./ssh/connect-ssh.js'), import('./ssh/ssh-docker-agent.js')])
  const session = sshSession({ host: o.host!, ...(o.port ? { port: o.port } : {}), ...(o.username ? { user: o.username } : {}) }, agentSocket)
  const modem = { protocol: 'http' as const, host: 'docker', port: 80, username: undefined, agent: sshDockerAgent(session) }
  return { modem, tunnel: { open: (port: number) => session.forward(port), end: () => session.end() } }
}

/** docker-modem reads DOCKER_CERT_PATH's files itself whenever DOCKER_HOST is tcp://, TLS asked for or not. */
function newDocker<T>(make: () => T): T {
  try {
    return make()
  } catch (err) {
    const e = err as NodeJS.ErrnoException
    if (!e.path) throw err
    throw new EnvctlError('ENGINE_UNREACHABLE', `the TLS file ${e.path} (from DOCKER_CERT_PATH) cannot be read (${e.code ?? e.message})`, {
      hint: 'put ca.pem, cert.pem and key.pem in the folder DOCKER_CERT_PATH names, or unset DOCKER_CERT_PATH when the engine needs no TLS',
      cause: err,
    })
  }
}
