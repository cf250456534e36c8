import { EnvctlError } from '../errors/envctl-error.js'

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock'

/**
 * Connection options in docker-modem's vocabulary. Every key is always present (undefined when unused)
 * because docker-modem merges its own DOCKER_HOST-derived defaults underneath whatever we pass: an
 * explicit undefined is what stops an environment value from leaking into a --docker-host connection.
 */
export interface ModemOptions {
  socketPath: string | undefined
  host: string | undefined
  port: number | undefined
  protocol: 'http' | 'https' | 'ssh'
  username: string | undefined
}

export interface DockerHost {
  /** Canonical form, for messages: "unix:///var/run/docker.sock", "tcp://10.0.0.5:2375". */
  display: string
  /** The engine shares this machine's filesystem (a unix socket or named pipe). */
  local: boolean
  options: ModemOptions
}

/** A host as connectEngine uses it: with where it came from and, for tcp+TLS, the certificate files. */
export interface EngineTarget extends DockerHost {
  source: string
  tls?: { dir: string; from: string }
}

/** Parses a DOCKER_HOST-style value (unix://, npipe://, tcp://, ssh://, or bare host:port). Empty → the local socket. */
export function parseDockerHost(value: string | undefined): DockerHost {
  const raw = value?.trim() || DEFAULT_DOCKER_HOST
  if (raw.startsWith('unix://') || raw.startsWith('npipe://')) return socketHost(raw)
  const withScheme = raw.includes('://') ? raw : `tcp://${raw}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    throw badHost(raw, 'it is not a valid address')
  }
  if (!['ssh:', 'tcp:', 'http:', 'https:'].includes(url.protocol)) {
    throw badHost(raw, `the scheme "${url.protocol.replace(/:$/, '')}" is not supported`)
  }
  if (!url.hostname) throw badHost(raw, 'it names no host')
  return url.protocol === 'ssh:' ? sshHost(url) : tcpHost(url)
}

function socketHost(raw: string): DockerHost {
  const scheme = raw.startsWith('unix://') ? 'unix://' : 'npipe://'
  const path = raw.slice(scheme.length)
  if (!path) throw badHost(raw, 'it names no socket path')
  return { display: raw, local: true, options: { ...emptyOptions('http'), socketPath: path } }
}

function tcpHost(url: URL): DockerHost {
  // 2376 is Docker's TLS port by convention, and the one docker-modem also switches to https for.
  const port = url.port ? Number(url.port) : url.protocol === 'https:' ? 2376 : 2375
  const protocol = url.protocol === 'https:' || port === 2376 ? 'https' : 'http'
  return {
    display: `tcp://${url.hostname}:${port}`,
    local: false,
    options: { ...emptyOptions(protocol), host: url.hostname, port },
  }
}

/** The port stays unset unless the address gives one: ~/.ssh/config's Port may then choose it. */
function sshHost(url: URL): DockerHost {
  const port = url.port ? Number(url.port) : undefined
  const username = url.username ? decodeURIComponent(url.username) : undefined
  const user = username ? `${username}@` : ''
  return {
    display: `ssh://${user}${url.hostname}${port ? `:${port}` : ''}`,
    local: false,
    options: { ...emptyOptions('ssh'), host: url.hostname, port, username },
  }
}

function emptyOptions(protocol: ModemOptions['protocol']): ModemOptions {
  return { socketPath: undefined, host: undefined, port: undefined, protocol, username: undefined }
}

function badHost(raw: string, why: string): EnvctlError {
  return new EnvctlError('USAGE', `Docker host "${raw}" cannot be used: ${why}`, {
    hint: 'use unix:///path/to/docker.sock, tcp://host:2375 or ssh://user@host (set --docker-host or DOCKER_HOST)',
  })
}
