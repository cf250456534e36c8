import type { RegistryAuth } from './engine.js'

const DOCKER_HUB = 'docker.io'
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'])
/** The key `docker login` writes for Docker Hub, and the server address the engine expects for it. */
const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/'

export interface AuthLookup {
  auth?: RegistryAuth
  /** Set when the config delegates this registry to a credential helper, which envctl does not run. */
  helper?: string
}

/** The registry an image reference is pulled from: its first path part when that looks like a host. */
export function registryOf(ref: string): string {
  const slash = ref.indexOf('/')
  if (slash < 0) return DOCKER_HUB
  const first = ref.slice(0, slash)
  const looksLikeHost = first.includes('.') || first.includes(':') || first === 'localhost'
  return looksLikeHost ? normaliseRegistry(first) : DOCKER_HUB
}

/**
 * Finds credentials for `registry` in the text of a Docker config.json (`auths` entries written by
 * `docker login` without a credential store). Credential helpers are reported, not run.
 */
export function lookupRegistryAuth(configText: string, registry: string): AuthLookup {
  const config = parseConfig(configText)
  const wanted = normaliseRegistry(registry)
  const serveraddress = wanted === DOCKER_HUB ? DOCKER_HUB_SERVER : wanted
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (normaliseRegistry(key) !== wanted || !entry || typeof entry !== 'object') continue
    const auth = authFromEntry(entry, serveraddress)
    if (auth) return { auth }
  }
  const helper = helperFor(config, wanted)
  return helper ? { helper } : {}
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>
  credHelpers?: Record<string, string>
  credsStore?: string
}

function parseConfig(text: string): DockerConfig {
  try {
    const parsed: unknown = JSON.parse(text)
    return parsed && typeof parsed === 'object' ? (parsed as DockerConfig) : {}
  } catch {
    return {}
  }
}

function authFromEntry(entry: NonNullable<DockerConfig['auths']>[string], serveraddress: string): RegistryAuth | undefined {
  if (entry.identitytoken) return { serveraddress, identitytoken: entry.identitytoken }
  if (entry.auth) {
    const decoded = Buffer.from(entry.auth, 'base64').toString('utf8')
    const colon = decoded.indexOf(':')
    if (colon > 0) return { serveraddress, username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }
  }
  if (entry.username && entry.password) return { serveraddress, username: entry.username, password: entry.password }
  return undefined
}

function helperFor(config: DockerConfig, registry: string): string | undefined {
  for (const [key, helper] of Object.entries(config.credHelpers ?? {})) {
    if (normaliseRegistry(key) === registry) return helper
  }
  return config.credsStore || undefined
}

/** "https://index.docker.io/v1/" → "docker.io"; "http://127.0.0.1:5000/v2/" → "127.0.0.1:5000". */
export function normaliseRegistry(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase()
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host
}
