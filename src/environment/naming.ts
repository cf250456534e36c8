import type { StackSpec } from '../stack/types.js'
import { sha256 } from '../lock/canonical.js'

export const LABEL = {
  managed: 'dev.envctl.managed',
  /** The environment's readable name (project name, folder-stack, or --name). */
  project: 'dev.envctl.project',
  stack: 'dev.envctl.stack',
  specHash: 'dev.envctl.spec-hash',
  /** Everything the container was created with (image, mounts, ports, limits, command): see container-hash.ts. */
  configHash: 'dev.envctl.config-hash',
  /** The workspace's canonical real path. */
  workspace: 'dev.envctl.workspace',
  /** The uid of the user the environment belongs to. */
  uid: 'dev.envctl.uid',
  /** Identity of the environment: workspace, stack and user, or an explicit --name. */
  envKey: 'dev.envctl.env-key',
  /** "1" when the environment was named explicitly with --name (shared by whoever names it). */
  named: 'dev.envctl.named',
  gpu: 'dev.envctl.gpu',
  /** The GPUs asked for, in --gpus words: none, all, count=N, device=IDS. */
  gpus: 'dev.envctl.gpus',
  /** envctl's default limits the engine refused, so the container runs with the engine's own (limits.ts). */
  limitsLowered: 'dev.envctl.limits-lowered',
  cache: 'dev.envctl.cache',
  notebookPort: 'dev.envctl.notebook.port',
  /** A service beside an environment (src/env-services): its name in [services.NAME]. */
  service: 'dev.envctl.service',
  /** The env-key of the environment a service, its network or its data volume belongs to. */
  serviceOf: 'dev.envctl.service-of',
  /** The readable name of that environment. */
  serviceEnv: 'dev.envctl.service-env',
  /** The env-key of the environment whose workspace a volume holds (a remote engine's upload, src/workspace-sync). */
  workspaceOf: 'dev.envctl.workspace-of',
  /** A random id given to a workspace volume when it is made: a volume made again under the same name has another. */
  workspaceId: 'dev.envctl.workspace-id',
  /** The env-key of the environment a short-lived workspace helper container works for. */
  workspaceHelper: 'dev.envctl.workspace-helper',
  /** A service's image as the stack names it (it may run from a digest envctl.lock pinned). */
  serviceImage: 'dev.envctl.service-image',
} as const

export function sanitize(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 48) || 'env'
}

/**
 * The readable part of an environment's name: a project file's own name; for a built-in used directly, the
 * workspace folder plus the stack ("myrepo-pytorch"); or what --name says.
 */
export function envName(spec: Pick<StackSpec, 'name'>, workspaceBase: string, isProject: boolean, override?: string): string {
  if (override) return sanitize(override)
  return isProject ? sanitize(spec.name) : sanitize(`${workspaceBase}-${spec.name}`)
}

/** Images are named by what determines them: same Dockerfile and context, same tag, nothing to build. */
export function specHash(dockerfile: string, contextFiles: Record<string, string | Buffer> = {}): string {
  const parts = [dockerfile, ...Object.keys(contextFiles).sort().map((k) => `${k}\0${sha256(String(contextFiles[k]))}`)]
  return sha256(parts.join('\0\0'))
}

export function imageTag(stack: string, hash: string): string {
  return `envctl/${sanitize(stack)}:${hash.slice(0, 16)}`
}
