import type { SecretValues } from '../env-services/secrets.js'
import type { SecretRef } from './secret-refs.js'

/** Where a value in the export's env file came from. */
export type SecretSource = 'kept' | 'envctl-up' | 'generated'

export interface SecretFileEntry {
  variable: string
  service: string
  source: SecretSource
}

/** The `NAME=` keys an env file (Compose's .env, kubectl's --from-env-file) sets; comments and blank lines skipped. */
export function envFileKeys(text: string): Set<string> {
  const keys = text.split('\n').map((l) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(l)?.[1]).filter((k): k is string => k !== undefined)
  return new Set(keys)
}

/**
 * The env file with every variable the export names: a value already there is kept as it is (a data volume
 * initialised with it keeps wanting it), a missing one is the password `envctl up` keeps for this environment,
 * else a new one. Lines are only ever added. Pure.
 */
export function mergeEnvFile(existing: string | null, refs: SecretRef[], stored: SecretValues | null, generate: () => string): { text: string; entries: SecretFileEntry[] } {
  const have = envFileKeys(existing ?? '')
  const added: string[] = []
  const entries = refs.map((r): SecretFileEntry => {
    if (have.has(r.variable)) return { variable: r.variable, service: r.service, source: 'kept' }
    const up = stored?.[r.service]?.[r.name]
    added.push(`${r.variable}=${up ?? generate()}`)
    return { variable: r.variable, service: r.service, source: up === undefined ? 'generated' : 'envctl-up' }
  })
  const head = existing === null ? '# Passwords of the services envctl export names; keep this file out of version control.\n' : existing.length && !existing.endsWith('\n') ? `${existing}\n` : existing
  return { text: `${head}${added.map((l) => `${l}\n`).join('')}`, entries }
}

/** One line for the user: which values came from where. */
export function describeSources(path: string, entries: SecretFileEntry[]): string {
  const by = (s: SecretSource) => entries.filter((e) => e.source === s).map((e) => e.variable)
  const parts = [
    [by('envctl-up'), "the passwords `envctl up` keeps for this environment"],
    [by('generated'), 'new passwords (this environment has none from `envctl up`)'],
    [by('kept'), 'values already there, kept'],
  ] as const
  return `${path} (0600): ${parts.filter(([v]) => v.length).map(([v, what]) => `${v.join(', ')}: ${what}`).join('; ')}`
}
