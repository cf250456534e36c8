import type { EnvctlPaths } from '../config/paths.js'
import type { EngineEndpoint } from '../engine/engine-endpoint.js'
import { registryAuthSetting, type UserConfig } from '../config/user-config.js'
import { REGISTRY_AUTH_DOCKER, USER_CONFIG_SCHEMA } from '../config/schema.js'
import { formatLocation, type SourceLocation } from '../errors/envctl-error.js'
import { formatKeyPath } from '../stack/key-path.js'
import { locate } from '../stack/locate.js'
import type { SchemaNode } from '../stack/schema-node.js'
import { isTable } from '../stack/schema-walk.js'
import { effectiveSettings } from './effective-settings.js'
import { maskUrl } from '../secrets/mask.js'

export type OriginKind = 'flag' | 'env' | 'project' | 'user' | 'docker-config' | 'default'

export interface Origin {
  kind: OriginKind
  /** `file:line:column`, `flag --cpu`, `env DOCKER_HOST` or `default`. */
  where: string
  file?: string
  line?: number
  column?: number
}

export interface Setting {
  /** TOML key path, as in the files: `mirrors.pip`, `network.ca_bundle`. */
  key: string
  /** null: not set anywhere and no default. */
  value: unknown
  origin: Origin
  /** Values of lower precedence that this one hides, highest first. */
  shadows: Array<{ value: unknown; origin: Origin }>
}

export interface ConfigView {
  files: { userConfig: string; userConfigExists: boolean; project: string | null; gitCache: string }
  settings: Setting[]
}

export interface ConfigInput {
  cwd: string
  ref?: string
  paths: EnvctlPaths
  /** Flags the command read: they rank above every file. */
  flags: { cpu?: boolean }
  /** The engine as the command resolved it (flag, DOCKER_HOST, DOCKER_CONTEXT, [engine] in a file, currentContext, default). */
  engine: Pick<EngineEndpoint, 'host' | 'source' | 'kind'>
}

const DEFAULT_ENGINE = 'unix:///var/run/docker.sock'
const DEFAULT: Origin = { kind: 'default', where: 'default' }

/** Leaf keys of the user config schema, in schema order: the settings a person may set for themselves. */
function leafKeys(node: SchemaNode, path: string[] = []): Array<{ path: string[]; node: SchemaNode }> {
  if (node.type !== 'object' || !node.properties) return [{ path, node }]
  return Object.entries(node.properties).flatMap(([k, child]) => leafKeys(child, [...path, k]))
}

function at(table: unknown, path: string[]): unknown {
  return path.reduce<unknown>((t, k) => (isTable(t) ? t[k] : undefined), table)
}

function fileOrigin(loc: SourceLocation, user: UserConfig | null): Origin {
  const kind: OriginKind = user && loc.file === user.path ? 'user' : 'project'
  return { kind, where: formatLocation(loc), file: loc.file, ...(loc.line ? { line: loc.line } : {}), ...(loc.column ? { column: loc.column } : {}) }
}

type Merged = { table: Record<string, unknown>; provenance: Record<string, SourceLocation>; user: UserConfig | null; project: string | null }

function merged(input: ConfigInput): Merged {
  const e = effectiveSettings(input)
  return { table: { mirrors: e.mirrors, network: e.network, gpu: e.gpu }, provenance: e.provenance, user: e.user, project: e.project }
}

/** Mirror and proxy URLs may carry credentials; a view shows them masked. */
function masked(value: unknown): unknown {
  if (typeof value === 'string') return maskUrl(value)
  return Array.isArray(value) ? value.map(masked) : value
}

function stackSetting(path: string[], node: SchemaNode, m: Merged): Setting {
  const key = formatKeyPath(path)
  const camelPath = path.map((k) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()))
  const value = at(m.table, camelPath)
  const loc = m.provenance[key]
  const origin = loc ? fileOrigin(loc, m.user) : DEFAULT
  const shadows: Setting['shadows'] = []
  const userValue = m.user ? at(m.user.layer.table, path) : undefined
  // Lists merge (the user config's entries stay), so only a scalar is hidden by a project's value.
  if (origin.kind === 'project' && userValue !== undefined && !Array.isArray(userValue)) {
    const pos = locate(m.user!.layer.positions, path)
    shadows.push({ value: userValue, origin: fileOrigin({ file: m.user!.path, ...pos }, m.user) })
  }
  return { key, value: masked(value ?? node.default ?? null), origin, shadows: shadows.map((h) => ({ ...h, value: masked(h.value) })) }
}

function registrySetting(m: Merged, paths: EnvctlPaths): Setting {
  const auth = m.user?.registryAuth
  const setting = registryAuthSetting(m.user, paths.home)
  const value = setting.kind === 'none' ? 'none' : `${auth?.value ?? REGISTRY_AUTH_DOCKER} (${setting.dir ?? paths.dockerConfig})`
  return { key: 'registry.auth', value, origin: auth ? fileOrigin(auth.location, m.user) : DEFAULT, shadows: [] }
}

function trustSetting(m: Merged): Setting {
  const t = m.user?.trustExposure
  return { key: 'trust.exposure', value: t?.sources ?? [], origin: t ? fileOrigin(t.location, m.user) : DEFAULT, shadows: [] }
}

/** A flag that overrides a file's value shows it, with what it hides. */
function withFlag(s: Setting, value: unknown, flag: string): Setting {
  return { key: s.key, value, origin: { kind: 'flag', where: `flag ${flag}` }, shadows: [{ value: s.value, origin: s.origin }, ...s.shadows] }
}

/** engine.host: the address in use, whichever setting chose it; `where` says which, as doctor and ls do. */
function engineSetting(input: ConfigInput): Setting {
  const { host, source, kind } = input.engine
  return { key: 'engine.host', value: host ?? DEFAULT_ENGINE, origin: kind === 'default' || !kind ? DEFAULT : { kind, where: source }, shadows: [] }
}

/**
 * Every setting a person can make for themselves, with its effective value and where it came from:
 * flags > the project's files (and what they extend) > the user config > defaults.
 */
export function configView(input: ConfigInput): ConfigView {
  const m = merged(input)
  // [engine] is shown once, as the endpoint the command resolved (engineSetting): it may come from a flag or the environment.
  const settings = leafKeys(USER_CONFIG_SCHEMA).filter(({ path }) => path[0] !== 'engine').map(({ path, node }) => {
    if (path[0] === 'registry') return registrySetting(m, input.paths)
    if (path[0] === 'trust') return trustSetting(m)
    const s = stackSetting(path, node, m)
    return s.key === 'gpu.mode' && input.flags.cpu ? withFlag(s, 'none', '--cpu') : s
  })
  return {
    files: { userConfig: input.paths.userConfig, userConfigExists: m.user !== null, project: m.project, gitCache: input.paths.gitCache },
    settings: [...settings, engineSetting(input)],
  }
}

function shown(value: unknown): string {
  if (value === null || value === undefined) return '(unset)'
  return Array.isArray(value) ? value.join(', ') || '(empty)' : String(value)
}

/** Aligned `key  value  origin` lines, like `git config --list --show-origin`, hidden values indented below. */
export function renderConfigView(v: ConfigView): string {
  const width = Math.max(...v.settings.map((s) => s.key.length))
  const valueWidth = Math.min(48, Math.max(...v.settings.map((s) => shown(s.value).length)))
  const lines = [
    `user config  ${v.files.userConfig}${v.files.userConfigExists ? '' : ' (none)'}`,
    `project      ${v.files.project ?? '(none here)'}`,
    `git cache    ${v.files.gitCache}`,
    '',
  ]
  for (const s of v.settings) {
    lines.push(`${s.key.padEnd(width)}  ${shown(s.value).padEnd(valueWidth)}  ${s.origin.where}`)
    for (const h of s.shadows) lines.push(`${' '.repeat(width)}    hides ${shown(h.value)} from ${h.origin.where}`)
  }
  return lines.join('\n')
}
