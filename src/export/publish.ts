// The one export step that touches the engine: `export k8s --registry` pushes the environment image through the
// engine API and names it by the digest the registry holds. The renderers stay pure; this runs before them.
import type { Engine } from '../engine/engine.js'
import { readRegistryAuth } from '../engine/docker-config-file.js'
import { registryAuthSetting } from '../config/user-config.js'
import type { EnvctlPaths } from '../config/paths.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { Plan } from '../project/plan.js'
import { exportFrom, type ExportRequest, type ExportResult } from './export.js'
import { exportPlan } from './export-plan.js'

export interface PublishTarget {
  engine: Engine
  /** HOST[:PORT][/PREFIX], as `--registry` gives it. */
  registry: string
  paths: EnvctlPaths
  signal?: AbortSignal
}

export interface Pushed {
  /** What was pushed: REGISTRY/PREFIX/NAME:HASH. */
  tag: string
  digest: string
  /** What the manifests name: REGISTRY/PREFIX/NAME@DIGEST. */
  ref: string
}

const HOST = /^(localhost|[a-z0-9-]+(\.[a-z0-9-]+)+|[a-z0-9.-]+:\d+|\[[0-9a-f:]+\](:\d+)?)$/i
const PATH = /^[a-z0-9]+([._-][a-z0-9]+)*(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/

/** "registry.example.com:5000/team" → { host, prefix }; a first part that is not a host would mean Docker Hub. */
export function parseRegistry(value: string): { host: string; prefix: string } {
  const trimmed = value.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '')
  const slash = trimmed.indexOf('/')
  const host = slash < 0 ? trimmed : trimmed.slice(0, slash)
  const prefix = slash < 0 ? '' : trimmed.slice(slash + 1)
  if (!HOST.test(host) || (prefix && !PATH.test(prefix))) {
    throw new EnvctlError('USAGE', `--registry ${value} is not HOST[:PORT]/PREFIX`, {
      hint: 'name a registry host (with a dot or a port, or localhost) and an optional lower-case path, e.g. --registry registry.example.com/team or --registry 127.0.0.1:5000/dev',
    })
  }
  return { host, prefix }
}

/** "envctl/shop:0123abcd" pushed to "127.0.0.1:5000/dev" → "127.0.0.1:5000/dev/shop:0123abcd". */
export function pushTag(local: string, registry: string): string {
  const { host, prefix } = parseRegistry(registry)
  return [host, prefix, local.replace(/^envctl\//, '')].filter(Boolean).join('/')
}

/** Tags the built image for the registry and pushes it; a failed push leaves no tag it made. */
export async function pushImage(local: string, t: PublishTarget, plan: Plan): Promise<Pushed> {
  const { engine } = t
  const tag = pushTag(local, t.registry)
  if (!(await engine.imageExists(local))) {
    throw new EnvctlError('NOT_FOUND', `the image ${local} is not built, so there is nothing to push`, { hint: 'run envctl build (same stack and flags) first, then export again' })
  }
  const made = !(await engine.imageExists(tag))
  await engine.tagImage(local, tag)
  // The credentials the pulls use: `docker login`'s auths entries, or the folder [registry] auth names.
  const setting = registryAuthSetting(plan.userConfig, t.paths.home)
  const dir = setting.kind === 'none' ? undefined : (setting.dir ?? t.paths.dockerConfig)
  const { auth } = dir ? await readRegistryAuth(tag, dir) : {}
  try {
    const { digest } = await engine.pushImage(tag, { auth, signal: t.signal })
    return { tag, digest, ref: `${tag.slice(0, tag.lastIndexOf(':'))}@${digest}` }
  } catch (err) {
    if (made) await engine.removeImage(tag).catch(() => {})
    throw err
  }
}

/** `export k8s --registry`: the image pushed, then the manifests naming it by digest. */
export async function exportPushed(p: Plan, req: ExportRequest, t: PublishTarget): Promise<ExportResult & { pushed: Pushed }> {
  const x = exportPlan(p, req)
  const pushed = await pushImage(x.planned.tag, t, p)
  return { ...exportFrom(x, p, { ...req, image: pushed.ref }), pushed }
}
