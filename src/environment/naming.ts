import { basename } from 'node:path'
import type { StackSpec } from '../stack/types.js'
import { sha256 } from '../lock/canonical.js'

export const LABEL = {
  managed: 'dev.envctl.managed',
  project: 'dev.envctl.project',
  stack: 'dev.envctl.stack',
  specHash: 'dev.envctl.spec-hash',
  workspace: 'dev.envctl.workspace',
  gpu: 'dev.envctl.gpu',
  cache: 'dev.envctl.cache',
  notebookPort: 'dev.envctl.notebook.port',
} as const

function sanitize(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9_.-]+/g, '-').replace(/^[^a-z0-9]+/, '').slice(0, 48) || 'env'
}

/**
 * The environment's name: a project file's own name; for a built-in used directly, the workspace
 * folder plus the stack ("myrepo-pytorch"), so two folders never share a container.
 */
export function envName(spec: Pick<StackSpec, 'name'>, workspace: string, isProject: boolean, override?: string): string {
  if (override) return sanitize(override)
  return isProject ? sanitize(spec.name) : sanitize(`${basename(workspace)}-${spec.name}`)
}

export function containerName(env: string): string {
  return `envctl-${env}`
}

/** Images are named by what determines them: same Dockerfile and context, same tag, nothing to build. */
export function specHash(dockerfile: string, contextFiles: Record<string, string | Buffer> = {}): string {
  const parts = [dockerfile, ...Object.keys(contextFiles).sort().map((k) => `${k}\0${sha256(String(contextFiles[k]))}`)]
  return sha256(parts.join('\0\0'))
}

export function imageTag(stack: string, hash: string): string {
  return `envctl/${sanitize(stack)}:${hash.slice(0, 16)}`
}
