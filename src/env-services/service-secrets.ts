import type { StackSpec } from '../stack/types.js'
import type { ServiceCatalog } from './catalog.js'
import { completeSecrets, secretsWanted, type SecretValues } from './secrets.js'
import { generatePassword, readSecrets, secretsFilePath, writeSecrets } from './secret-store.js'

/** An environment's generated service secrets for this run, and whether they are new. */
export interface ServiceSecrets {
  /** The 0600 file they are kept in; null when the caller gave no state folder (nothing is kept). */
  path: string | null
  values: SecretValues
  /** Some value was generated in this run (and is not kept yet). */
  generated: boolean
  /** The file was there before this run. */
  existed: boolean
}

/** The secrets an earlier up kept for this environment, with the ones its services still need generated (in memory). */
export async function loadServiceSecrets(spec: StackSpec, catalog: ServiceCatalog, stateDir: string | undefined, container: string): Promise<ServiceSecrets> {
  const path = stateDir ? secretsFilePath(stateDir, container) : null
  const kept = path ? await readSecrets(path) : null
  const { values, generated } = completeSecrets(kept ?? {}, secretsWanted(spec, catalog), generatePassword)
  return { path, values, generated, existed: kept !== null }
}

/** Kept before a service first starts with them; the file's path when this run created it (a failed run removes it). */
export async function keepServiceSecrets(s: ServiceSecrets): Promise<string | null> {
  if (!s.path || !s.generated) return null
  await writeSecrets(s.path, s.values)
  return s.existed ? null : s.path
}
