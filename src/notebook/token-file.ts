import { chmod, mkdir, rename, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

/** The host copy of an environment's token, under the state dir the command layer found (XDG_STATE_HOME). */
export function tokenFilePath(stateDir: string, env: string): string {
  return join(stateDir, 'notebooks', `${env}.token`)
}

/** Readable by the user only: 0700 folder, 0600 file, written whole (rename) so no reader sees half a token. */
export async function writeTokenFile(path: string, token: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  const part = `${path}.${process.pid}.part`
  await writeFile(part, `${token}\n`, { mode: 0o600 })
  await chmod(part, 0o600)
  await rename(part, path)
}
