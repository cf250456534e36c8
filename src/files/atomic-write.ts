import { randomBytes } from 'node:crypto'
import { renameSync, rmSync, writeFileSync } from 'node:fs'
import { chmod, rename, rm, writeFile } from 'node:fs/promises'

function partName(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.part`
}

/**
 * Writes the whole file or nothing: a temporary file beside it, renamed over it. A reader (another envctl, an
 * editor, git) sees the old content or the new, never half of either; a crash leaves at most a .part file.
 */
export function writeFileAtomicSync(path: string, content: string | Buffer, mode = 0o644): void {
  const part = partName(path)
  try {
    writeFileSync(part, content, { mode })
    renameSync(part, path)
  } catch (err) {
    rmSync(part, { force: true })
    throw err
  }
}

export async function writeFileAtomic(path: string, content: string | Buffer, mode = 0o644): Promise<void> {
  const part = partName(path)
  try {
    await writeFile(part, content, { mode })
    // The umask may have narrowed the mode; a secret's file must be exactly what was asked for.
    await chmod(part, mode)
    await rename(part, path)
  } catch (err) {
    await rm(part, { force: true })
    throw err
  }
}
