import { readFileSync } from 'node:fs'
import { writeFileAtomicSync } from '../files/atomic-write.js'
import { parseLock, serializeLock } from '../lock/serialize.js'
import { canonicalJson } from '../lock/canonical.js'
import type { LockedService } from '../lock/types.js'

/** The services' images at the digests they ran at; one without a registry digest is not pinned. Pure. */
export function lockedServices(services: Array<{ name: string; image: string }>, digests: Record<string, string>): Record<string, LockedService> {
  return Object.fromEntries(services.filter((s) => digests[s.name]).map((s) => [s.name, { image: s.image, digest: digests[s.name]! }]))
}

/**
 * Writes the services' pinned images into envctl.lock beside what the build recorded, when they changed; a
 * service no longer in the stack leaves the lock. Returns a note for the user, or null when nothing changed.
 */
export function recordServiceImages(lockPath: string, services: Record<string, LockedService>): string | null {
  let text: string
  try {
    text = readFileSync(lockPath, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
  const lock = parseLock(text, lockPath)
  if (canonicalJson(lock.services ?? {}) === canonicalJson(services)) return null
  const { services: _old, ...rest } = lock
  writeFileAtomicSync(lockPath, serializeLock(Object.keys(services).length ? { ...rest, services } : rest))
  const pinned = Object.entries(services).map(([name, s]) => `${name} ${s.image}@${s.digest.slice(0, 19)}…`)
  return `${lockPath}: service images ${pinned.length ? `pinned: ${pinned.join(', ')}` : 'no longer pinned'}`
}
