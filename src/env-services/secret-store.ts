// Generated service passwords live in the user's state folder, one file per environment (keyed by its
// container name, as the notebook token is), readable by the user only. Never in the stack file, envctl.lock,
// labels or output: the services get them as their own variables, the environment through its connection
// variables. `down --volumes` removes the file with the data those passwords open.
import { randomBytes } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { EnvctlError } from '../errors/envctl-error.js'
import { removeIfPresent, writePrivateFile } from '../files/private-file.js'
import type { SecretValues } from './secrets.js'

export function secretsFilePath(stateDir: string, container: string): string {
  return join(stateDir, 'services', `${container}.json`)
}

/** 144 random bits, URL-safe, so a connection URL carries it without escaping. */
export const generatePassword = (): string => randomBytes(18).toString('base64url')

/** What an earlier up kept; none yet is an empty set, a damaged file an error that names it. */
export async function readSecrets(path: string): Promise<SecretValues | null> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
  try {
    const parsed = JSON.parse(text) as unknown
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as SecretValues
  } catch {
    // said below
  }
  throw new EnvctlError('USAGE', `${path} is not a file of service passwords envctl wrote`, {
    hint: `remove it and its data with \`envctl down --volumes\`, or restore it from a backup`,
  })
}

/** 0700 folder, 0600 file, written whole (rename). */
export async function writeSecrets(path: string, values: SecretValues): Promise<void> {
  await writePrivateFile(path, `${JSON.stringify(values, null, 2)}\n`)
}

/** Gone already is fine. */
export async function removeSecrets(path: string): Promise<boolean> {
  return removeIfPresent(path)
}
