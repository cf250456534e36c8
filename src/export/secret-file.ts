import { chmodSync, mkdirSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { writeFileAtomicSync } from '../files/atomic-write.js'
import { generatePassword, secretsFilePath } from '../env-services/secret-store.js'
import type { SecretValues } from '../env-services/secrets.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { SecretRef } from './secret-refs.js'
import { mergeEnvFile, type SecretFileEntry } from './secret-values.js'

/** The env file an export wrote its services' passwords to (never their values: those stay in the file). */
export interface SecretFile {
  path: string
  entries: SecretFileEntry[]
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
}

/** What `envctl up` keeps for the environment (secret-store.ts), or null; a damaged file is not a reason to fail an export. */
function stored(stateDir: string | undefined, upContainer: string): SecretValues | null {
  if (!stateDir) return null
  const text = readText(secretsFilePath(stateDir, upContainer))
  try {
    return text === null ? null : (JSON.parse(text) as SecretValues)
  } catch {
    return null
  }
}

/** The passwords into `path` (merged with what is there), 0600 whatever it was before. */
export function writeSecretFile(path: string, refs: SecretRef[], stateDir: string | undefined, upContainer: string): SecretFile {
  let existing: string | null
  try {
    existing = readText(path)
  } catch (e) {
    throw new EnvctlError('USAGE', `cannot read ${path}: ${(e as Error).message}`, { hint: 'make it a readable file, or remove it to have a new one written' })
  }
  const { text, entries } = mergeEnvFile(existing, refs, stored(stateDir, upContainer), generatePassword)
  mkdirSync(dirname(path), { recursive: true })
  if (text !== existing) writeFileAtomicSync(path, text, 0o600)
  chmodSync(path, 0o600)
  return { path, entries }
}
