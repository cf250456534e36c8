import { parse, stringify, TomlError } from 'smol-toml'
import { EnvctlError } from '../errors/envctl-error.js'
import { canonicalJson } from './canonical.js'
import { LOCK_VERSION, type LockFile, type LockedResolution } from './types.js'

const HEADER = '# envctl.lock: the exact environment for this project. Written by `envctl lock` and `envctl up`; commit it, do not edit it (docs/LOCK.md).\n'

/** TOML has no null: drop null fields on the way out; the reader puts them back. */
function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined).map(([k, v]) => [k, dropNulls(v)]))
  }
  return value
}

const NULLABLE: Array<keyof LockedResolution> = ['python', 'cuda', 'cudnn', 'node', 'java']

function restoreNulls(r: Record<string, unknown>): LockedResolution {
  for (const k of NULLABLE) if (!(k in r)) r[k] = null
  const ps = (r.pipSources ?? {}) as Record<string, unknown>
  r.pipSources = { indexUrl: ps.indexUrl ?? null, extraIndexUrls: ps.extraIndexUrls ?? [], findLinks: ps.findLinks ?? [], trustedHosts: ps.trustedHosts ?? [] }
  const base = r.base as Record<string, unknown>
  if (!('python' in base)) base.python = null
  const nb = (r.notebook ?? {}) as Record<string, unknown>
  r.notebook = { enabled: Boolean(nb.enabled), port: (nb.port as number | undefined) ?? null }
  return r as unknown as LockedResolution
}

/** Stable output: keys sorted at every level, so diffs show only real changes. */
export function serializeLock(lock: LockFile): string {
  const sorted = JSON.parse(canonicalJson(dropNulls(lock)))
  return HEADER + stringify(sorted) + '\n'
}

export function parseLock(text: string, file: string): LockFile {
  let raw: Record<string, unknown>
  try {
    raw = parse(text) as Record<string, unknown>
  } catch (e) {
    const loc = e instanceof TomlError ? { file, line: e.line, column: e.column } : { file }
    throw new EnvctlError('INVALID_STACK', `${file} is not valid TOML`, { problems: [{ message: (e as Error).message.split('\n')[0], location: loc }], hint: 'regenerate it with `envctl lock`' })
  }
  if (raw.lockVersion !== LOCK_VERSION) {
    throw new EnvctlError('LOCK_DRIFT', `${file} has lock format ${String(raw.lockVersion)}; this envctl reads format ${LOCK_VERSION}`, { hint: 'regenerate it with `envctl lock`' })
  }
  const variants = (raw.variants ?? {}) as LockFile['variants']
  for (const v of Object.values(variants)) {
    if (!v) continue
    v.resolution = restoreNulls(v.resolution as unknown as Record<string, unknown>)
    // TOML writes an empty table as a bare header; a hand-edited lock may drop it altogether.
    if (v.installed) v.installed = { ...v.installed, pip: v.installed.pip ?? {}, apt: v.installed.apt ?? {} }
  }
  return raw as unknown as LockFile
}
