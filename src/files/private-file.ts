import { chmod, mkdir, rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { writeFileAtomic } from './atomic-write.js'

/**
 * A file only its user may read (a token, generated passwords): 0700 folder, 0600 file, written whole. mkdir's
 * mode only applies to a folder it creates, so an existing one (made by hand, or under a wider umask) is narrowed too.
 */
export async function writePrivateFile(path: string, content: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 })
  await chmod(dirname(path), 0o700)
  await writeFileAtomic(path, content, 0o600)
}

/** Removes `path`; true when there was one to remove (gone already is fine, anything else throws). */
export async function removeIfPresent(path: string): Promise<boolean> {
  try {
    await rm(path)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw e
  }
}
