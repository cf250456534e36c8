import { chmod, mkdir, rename, rm, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

/** The host copy of an environment's token, under the state dir the command layer found (XDG_STATE_HOME). */
export function tokenFilePath(stateDir: string, env: string): string {
  return join(stateDir, 'notebooks', `${env}.token`)
}

/**
 * Readable by the user only: 0700 folder, 0600 file, written whole (rename) so no reader sees half a token.
 * mkdir's mode only applies to a folder it creates, so an existing one (made by hand, or by an older envctl
 * under a wider umask) is narrowed too.
 */
export async function writeTokenFile(path: string, token: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  await chmod(dirname(path), 0o700)
  const part = `${path}.${process.pid}.part`
  await writeFile(part, `${token}\n`, { mode: 0o600 })
  await chmod(part, 0o600)
  await rename(part, path)
}

/** `down`: the token of a removed environment opens nothing any more, and must not linger. Gone already is fine. */
export async function removeTokenFile(path: string): Promise<boolean> {
  try {
    await rm(path)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw e
  }
}
