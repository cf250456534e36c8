// Which engine a command talks to, found as the docker CLI finds it: --docker-host/--host, then DOCKER_HOST,
// then DOCKER_CONTEXT, then envctl's own files ([engine] in the project's stack file, then in the user config),
// then the current context in the Docker config, then the local socket. Explicit choices (a flag, the
// environment) beat files, as in the docker CLI; envctl's files beat Docker's currentContext because they are
// about envctl (and the project) where currentContext is a machine-wide default for every docker command.
import { join } from 'node:path'
import { readDockerContext, readCurrentContext } from './docker-context.js'

/** Client certificate files for tcp+TLS, as paths (read and checked when the engine is made). */
export interface TlsFiles {
  /** The folder the files are in, and how it was chosen: for messages that say where to put them. */
  dir: string
  ca: string
  cert: string
  key: string
  /** Check the engine's certificate against ca (DOCKER_TLS_VERIFY; a context unless SkipTLSVerify). */
  verify: boolean
  from: string
}

export interface EngineEndpoint {
  /** DOCKER_HOST-style address; undefined means the local socket. */
  host: string | undefined
  tls?: TlsFiles
  /** Where the choice came from, said by doctor and ls: "flag --docker-host", "env DOCKER_HOST", "context \"gpu\" (…)". */
  source: string
  /** Which kind of setting chose it, for `envctl config`. */
  kind?: EndpointKind
}

export type EndpointKind = 'flag' | 'env' | 'project' | 'user' | 'docker-config' | 'default'

/** `[engine]` of a file envctl reads: one of host or context, and where it is written ("engine.host in envctl.toml:3:1"). */
export interface ConfiguredEngine {
  host?: string
  context?: string
  where: string
  kind: 'project' | 'user'
}

export interface EndpointInput {
  flagHost?: string
  env: { DOCKER_HOST?: string; DOCKER_CONTEXT?: string; DOCKER_TLS_VERIFY?: string; DOCKER_CERT_PATH?: string }
  /** DOCKER_CONFIG or ~/.docker. */
  configDir: string
  /**
   * [engine] of the project's stack file, then of the user config: the first one set wins. Read only when
   * the flag and the environment leave the choice open, so a broken file cannot stop an explicit --docker-host.
   */
  configured?: () => ConfiguredEngine[]
}

/** The engine endpoint, in the docker CLI's order of precedence. Reads the Docker config's context files. */
export function resolveEngineEndpoint(input: EndpointInput): EngineEndpoint {
  const { env } = input
  if (input.flagHost) return { ...withEnvTls(input, input.flagHost, 'flag --docker-host'), kind: 'flag' }
  if (env.DOCKER_HOST) return { ...withEnvTls(input, env.DOCKER_HOST, 'env DOCKER_HOST'), kind: 'env' }
  if (env.DOCKER_CONTEXT) return { ...fromContext(input.configDir, env.DOCKER_CONTEXT, 'env DOCKER_CONTEXT'), kind: 'env' }
  const file = input.configured?.().find((c) => c.host || c.context)
  if (file?.host) return { ...withEnvTls(input, file.host, file.where), kind: file.kind }
  if (file?.context) return { ...fromContext(input.configDir, file.context, file.where), kind: file.kind }
  const current = readCurrentContext(input.configDir)
  if (current) return { ...fromContext(input.configDir, current, `currentContext in ${join(input.configDir, 'config.json')}`), kind: 'docker-config' }
  return { host: undefined, source: 'default (the local socket)', kind: 'default' }
}

function fromContext(configDir: string, name: string, why: string): EngineEndpoint {
  const source = `context "${name}" (${why})`
  if (name === 'default') return { host: undefined, source }
  const ctx = readDockerContext(configDir, name, why)
  return { host: ctx.host, source, ...(ctx.tls ? { tls: { ...ctx.tls, from: `the TLS files of context "${name}"` } } : {}) }
}

/** DOCKER_TLS_VERIFY turns TLS on for a flag, DOCKER_HOST or [engine] host address, with the files in DOCKER_CERT_PATH (else the config folder). */
function withEnvTls(input: EndpointInput, host: string, source: string): EngineEndpoint {
  const tcp = /^(tcp|https):\/\//.test(host) || !host.includes('://')
  if (!input.env.DOCKER_TLS_VERIFY || !tcp) return { host, source }
  const dir = input.env.DOCKER_CERT_PATH || input.configDir
  const from = input.env.DOCKER_CERT_PATH ? 'DOCKER_CERT_PATH' : 'the Docker config folder (DOCKER_CERT_PATH is not set)'
  return { host, source, tls: { dir, ca: join(dir, 'ca.pem'), cert: join(dir, 'cert.pem'), key: join(dir, 'key.pem'), verify: true, from } }
}
