import { join } from 'node:path'
import { removeIfPresent, writePrivateFile } from '../files/private-file.js'

/** The host copy of an environment's token, under the state dir the command layer found (XDG_STATE_HOME). */
export function tokenFilePath(stateDir: string, env: string): string {
  return join(stateDir, 'notebooks', `${env}.token`)
}

/** Readable by the user only, written whole so no reader sees half a token. */
export async function writeTokenFile(path: string, token: string): Promise<void> {
  await writePrivateFile(path, `${token}\n`)
}

/** `down`: the token of a removed environment opens nothing any more, and must not linger. Gone already is fine. */
export async function removeTokenFile(path: string): Promise<boolean> {
  return removeIfPresent(path)
}
