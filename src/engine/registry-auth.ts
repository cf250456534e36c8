import type { RegistryAuth } from './engine.js'

const DOCKER_HUB = 'docker.io'
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com'])
/** The key `docker login` writes for Docker Hub, the server URL its credential helpers are asked for, and the engine's server address. */
export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/'

/** A credential helper the Docker config names for a registry, and the setting that named it (for messages). */
export interface HelperRef {
  name: string
  /** `credHelpers["ghcr.io"]` or `credsStore`. */
  via: string
  /** What the helper is asked for on stdin: the registry host, or Docker Hub's server URL. */
  serverUrl: string
}

export interface AuthLookup {
  auth?: RegistryAuth
  /** Set when the config delegates this registry to a credential helper: the edge runs it. */
  helper?: HelperRef
}

/** The registry an image reference is pulled from: its first path part when that looks like a host. */
export function registryOf(ref: string): string {
  const slash = ref.indexOf('/')
  if (slash < 0) return DOCKER_HUB
  const first = ref.slice(0, slash)
  const looksLikeHost = first.includes('.') || first.includes(':') || first === 'localhost'
  return looksLikeHost ? normaliseRegistry(first) : DOCKER_HUB
}

/** The server address the engine and credential helpers know a registry by: Docker Hub's v1 URL, else the host. */
export function serverAddressOf(registry: string): string {
  const host = normaliseRegistry(registry)
  return host === DOCKER_HUB ? DOCKER_HUB_SERVER : host
}

/**
 * Where the credentials for `registry` come from in the text of a Docker config.json, in the docker CLI's
 * order: `credHelpers` for that registry, else `credsStore`, else an `auths` entry written by `docker login`.
 * With a helper configured, an `auths` entry is only the marker `docker login` leaves; the helper decides.
 */
export function lookupRegistryAuth(configText: string, registry: string): AuthLookup {
  const config = parseConfig(configText)
  const wanted = normaliseRegistry(registry)
  const serveraddress = serverAddressOf(wanted)
  const helper = helperFor(config, wanted)
  if (helper) return { helper: { ...helper, serverUrl: serveraddress } }
  for (const [key, entry] of Object.entries(config.auths ?? {})) {
    if (normaliseRegistry(key) !== wanted || !entry || typeof entry !== 'object') continue
    const auth = authFromEntry(entry, serveraddress)
    if (auth) return { auth }
  }
  return {}
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

function helperFor(config: DockerConfig, registry: string): Omit<HelperRef, 'serverUrl'> | undefined {
  for (const [key, helper] of Object.entries(config.credHelpers ?? {})) {
    // An empty entry opts this registry out of credsStore, back to `auths` (the docker CLI's getConfiguredCredentialStore).
    if (normaliseRegistry(key) === registry && typeof helper === 'string') return helper ? { name: helper, via: `credHelpers["${key}"]` } : undefined
  }
  return typeof config.credsStore === 'string' && config.credsStore ? { name: config.credsStore, via: 'credsStore' } : undefined
}

/** "https://index.docker.io/v1/" → "docker.io"; "http://127.0.0.1:5000/v2/" → "127.0.0.1:5000". */
export function normaliseRegistry(key: string): string {
  const host = key.replace(/^[a-z]+:\/\//i, '').replace(/\/.*$/, '').toLowerCase()
  return DOCKER_HUB_ALIASES.has(host) ? DOCKER_HUB : host
}
