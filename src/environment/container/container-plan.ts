import type { ContainerSpec, GpuRequest, MountSpec, PortSpec } from '../../engine/engine.js'
import type { ResolvedStack } from '../../resolvers/types.js'
import { EnvctlError } from '../../errors/envctl-error.js'
import { ENV_HOME, ENV_USER } from './passwd.js'
import { LABEL } from '../naming.js'
import { CA_MOUNT, caPerStep } from '../../render/ca.js'
import { RUNTIME_BUNDLE } from './ca-files.js'
import { proxyVariables } from './proxy.js'
import { parsePortMapping } from '../../stack/formats/port-mapping.js'
import { parseSize as parseSizeText } from '../../stack/formats/size.js'
import { npmCredentials, secretPipOptions } from '../../render/secrets.js'
import { gpusText } from './gpus.js'
import { stackUlimits } from './limits.js'

export interface ContainerPlanInput {
  resolved: ResolvedStack
  name: string
  env: string
  image: string
  hash: string
  workspace: string
  /** The bind source of /workspace when it is not `workspace` (a folder on a remote engine's host), or the volume's name. */
  workspaceSource?: string
  /** workspaceSource names a volume (the workspace uploaded to a remote engine). */
  workspaceVolume?: boolean
  /** The engine shares this file system (a local socket): files of this machine can be bind-mounted. Default true. */
  localFiles?: boolean
  uid: number
  gid: number
  gpus: GpuRequest | null
  /** Extra container ports to publish (notebook), container port → host port (0: any free one). */
  extraPorts?: PortSpec[]
  extraLabels?: Record<string, string>
}

/** Cache volumes per runtime: they survive rebuilds and `down`, and are shared by all of a user's envs. */
export const CACHES: Record<string, Array<{ kind: string; target: string }>> = {
  python: [{ kind: 'pip', target: '/cache/pip' }, { kind: 'huggingface', target: '/cache/huggingface' }],
  node: [{ kind: 'npm', target: '/cache/npm' }],
  java: [{ kind: 'maven', target: '/cache/maven' }],
  none: [],
}

export function cacheVolume(kind: string): string {
  return `envctl-cache-${kind}`
}

/** Bytes of a size, by the grammar the stack validator checks (src/stack/formats/size.ts). */
export function parseSize(text: string): number {
  const parsed = parseSizeText(text)
  if ('problem' in parsed) throw new EnvctlError('INVALID_STACK', `run.shm_size: ${parsed.problem}`, { hint: 'write it like "2g" or "512m"' })
  return parsed.bytes
}

/** A run.ports entry, by the grammar the stack validator checks (src/stack/formats/port-mapping.ts). */
export function parsePort(entry: string, bind: string): PortSpec {
  const parsed = parsePortMapping(entry)
  if ('problem' in parsed) throw new EnvctlError('INVALID_STACK', `run.ports: ${parsed.problem}`, { hint: 'use "8000" or "8080:80" (host:container)' })
  return { containerPort: parsed.containerPort, hostPort: parsed.hostPort, hostIp: bind, protocol: parsed.protocol }
}


/**
 * The mirrors also apply inside the running environment, so `pip install` there uses them too. A setting
 * whose URL carries a credential is not env (which `docker inspect` shows): credential-files.ts writes it
 * into the user's pip.conf or .npmrc instead, which these variables would otherwise override.
 */
function mirrorEnv(r: ResolvedStack): Record<string, string> {
  const s = r.pipSources
  const secret = new Set(secretPipOptions(r).map((o) => o.option))
  const out: Record<string, string> = {}
  if (s.indexUrl && !secret.has('index-url')) out.PIP_INDEX_URL = s.indexUrl
  if (s.extraIndexUrls.length && !secret.has('extra-index-url')) out.PIP_EXTRA_INDEX_URL = s.extraIndexUrls.join(' ')
  if (s.findLinks.length && !secret.has('find-links')) out.PIP_FIND_LINKS = s.findLinks.join(' ')
  if (s.trustedHosts.length) out.PIP_TRUSTED_HOST = s.trustedHosts.join(' ')
  if (r.mirrors.npm && !npmCredentials(r)) out.npm_config_registry = r.mirrors.npm
  return out
}

/**
 * A CA the image does not carry is mounted read-only and named to the tools as in the build: Node adds it to
 * its roots; pip, requests and OpenSSL get the combined bundle up writes into the container (ca-files.ts).
 */
function caEnv(r: ResolvedStack): Record<string, string> {
  if (!caPerStep(r)) return {}
  return { NODE_EXTRA_CA_CERTS: CA_MOUNT, PIP_CERT: RUNTIME_BUNDLE, REQUESTS_CA_BUNDLE: RUNTIME_BUNDLE, SSL_CERT_FILE: RUNTIME_BUNDLE }
}

function mounts(p: ContainerPlanInput): MountSpec[] {
  const caches = CACHES[p.resolved.runtime] ?? []
  const ca = p.resolved.network.caBundle
  return [
    { type: p.workspaceVolume ? 'volume' : 'bind', source: p.workspaceSource ?? p.workspace, target: '/workspace' },
    ...caches.map((c) => ({ type: 'volume' as const, source: cacheVolume(c.kind), target: c.target })),
    ...(ca && caPerStep(p.resolved) && p.localFiles !== false ? [{ type: 'bind' as const, source: ca, target: CA_MOUNT, readOnly: true }] : []),
  ]
}

function ulimits(r: ResolvedStack): ContainerSpec['ulimits'] {
  return Object.entries(stackUlimits(r)).map(([name, v]) => ({ name, soft: v, hard: v }))
}

/** Everything `docker run` would be told, as one value: pure, so it can be tested without an engine. */
export function containerPlan(p: ContainerPlanInput): ContainerSpec {
  const r = p.resolved
  const bind = r.run.bind ?? '127.0.0.1'
  const shm = parseSize(r.run.shmSize ?? (r.gpu ? '8g' : '2g'))
  return {
    name: p.name,
    image: p.image,
    user: `${p.uid}:${p.gid}`,
    workdir: '/workspace',
    hostname: p.env.slice(0, 63),
    env: { HOME: ENV_HOME, USER: p.uid === 0 ? 'root' : ENV_USER, LOGNAME: p.uid === 0 ? 'root' : ENV_USER, ...proxyVariables(r.network), ...mirrorEnv(r), ...caEnv(r) },
    labels: { [LABEL.managed]: '1', [LABEL.project]: p.env, [LABEL.stack]: r.stack, [LABEL.specHash]: p.hash, [LABEL.workspace]: p.workspace, [LABEL.gpu]: String(Boolean(p.gpus)), [LABEL.gpus]: gpusText(p.gpus), ...p.extraLabels },
    mounts: mounts(p),
    ports: [...(r.run.ports ?? []).map((e) => parsePort(e, bind)), ...(p.extraPorts ?? [])],
    gpus: p.gpus ?? undefined,
    shmSizeBytes: shm,
    ulimits: ulimits(r),
    init: true,
    tty: false,
  }
}
