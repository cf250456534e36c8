import type { SourceLocation } from '../errors/envctl-error.js'
import type { SchemaNode } from './schema-node.js'
import { STACK_SCHEMA } from './schema.js'
import { isTable } from './schema-walk.js'
import type { StackSpec } from './types.js'

const camel = (key: string): string => key.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase())

/**
 * snake_case → camelCase for keys the schema defines; keys the user chose (env names, framework
 * names) stay as written. Tables come out as plain objects.
 */
export function toCamelCase(value: unknown, node: SchemaNode): unknown {
  if (Array.isArray(value)) return [...value]
  if (!isTable(value)) return value
  const out: Record<string, unknown> = {}
  for (const [key, child] of Object.entries(value)) {
    const known = node.properties?.[key]
    const childNode = known ?? (node.additionalProperties || { description: '' })
    out[known ? camel(key) : key] = toCamelCase(child, childNode)
  }
  return out
}

type SpecBody = Omit<StackSpec, 'name' | 'origin' | 'chain' | 'dir' | 'provenance' | 'extends' | 'sources' | 'userConfig' | 'workspace' | 'workspaceExclude'> & {
  /** As merged: the string shorthand is expanded to the table form (merge.ts). */
  workspace?: { path?: string; exclude?: string[] }
}

/** What load.ts knows about the stack besides its merged table. */
export interface SpecIdentity {
  name: string
  origin: string
  chain: string[]
  dir?: string
  extends?: string
  sources?: Record<string, string>
  userConfig?: string
}

/** The merged table as a StackSpec, with defaults: gpu.mode "auto", notebook off, empty lists and maps. */
export function toStackSpec(table: Record<string, unknown>, identity: SpecIdentity, provenance: Record<string, SourceLocation>): StackSpec {
  const t = toCamelCase(table, STACK_SCHEMA) as Partial<SpecBody>
  return {
    name: identity.name,
    ...(t.description === undefined ? {} : { description: t.description }),
    origin: identity.origin,
    chain: identity.chain,
    ...(identity.dir === undefined ? {} : { dir: identity.dir }),
    ...(identity.extends === undefined ? {} : { extends: identity.extends }),
    ...(identity.sources === undefined ? {} : { sources: identity.sources }),
    ...(identity.userConfig === undefined ? {} : { userConfig: identity.userConfig }),
    ...(t.python ? { python: t.python } : {}),
    frameworks: t.frameworks ?? {},
    packages: { pip: [], apt: [], npm: [], maven: [], ...t.packages },
    ...(t.node ? { node: t.node } : {}),
    ...(t.java ? { java: t.java } : {}),
    gpu: { mode: 'auto', ...t.gpu },
    notebook: { enabled: false, ...t.notebook },
    env: t.env ?? {},
    mirrors: t.mirrors ?? {},
    network: t.network ?? {},
    run: t.run ?? {},
    ...(t.workspace?.path === undefined ? {} : { workspace: t.workspace.path }),
    workspaceExclude: t.workspace?.exclude ?? [],
    ...(t.base ? { base: t.base } : {}),
    services: t.services ?? {},
    provenance,
  }
}
