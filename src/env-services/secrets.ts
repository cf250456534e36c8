import type { StackSpec } from '../stack/types.js'
import { catalogEntryFor, type ServiceCatalog } from './catalog.js'

/** Generated values by service name, then variable: { db: { MYSQL_ROOT_PASSWORD: "…" } }. */
export type SecretValues = Record<string, Record<string, string>>

/** The catalog's secrets each service needs envctl to generate: those its own env does not set. Pure. */
export function secretsWanted(spec: StackSpec, catalog: ServiceCatalog): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [name, s] of Object.entries(spec.services)) {
    const names = (s.image ? catalogEntryFor(catalog, s.image)?.entry.secrets ?? [] : []).filter((v) => s.env?.[v] === undefined)
    if (names.length) out[name] = names
  }
  return out
}

/**
 * The values kept from an earlier up, with every wanted one that is missing generated. The kept ones are
 * reused as they are: a data volume initialised with a password keeps wanting that password.
 */
export function completeSecrets(kept: SecretValues, wanted: Record<string, string[]>, generate: () => string): { values: SecretValues; generated: boolean } {
  const values: SecretValues = Object.fromEntries(Object.entries(kept).map(([k, v]) => [k, { ...v }]))
  let generated = false
  for (const [service, names] of Object.entries(wanted)) {
    for (const name of names) {
      if (values[service]?.[name] !== undefined) continue
      values[service] = { ...values[service], [name]: generate() }
      generated = true
    }
  }
  return { values, generated }
}
