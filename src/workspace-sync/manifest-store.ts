import { mkdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { sha256 } from '../lock/canonical.js'
import { writeFileAtomic } from '../files/atomic-write.js'
import type { Manifest } from './manifest.js'

/**
 * The manifest of one workspace volume lives in the user's state folder, one file per engine and volume. It
 * names the volume's id (a label given when it was made), so a volume made again (after `down --volumes`) is
 * never taken for the one the manifest describes: the next upload then sends everything.
 */
export function manifestPath(stateDir: string, engineHost: string, volume: string): string {
  return join(stateDir, 'workspaces', `${sha256(`${engineHost}\0${volume}`).slice(0, 32)}.json`)
}

export interface LoadedManifest {
  manifest: Manifest
  /** Why the stored manifest was not used, when there was one; undefined when it was used or there was none. */
  discarded?: string
}

const EMPTY = (volumeId: string): Manifest => ({ volumeId, files: {} })

export async function loadManifest(path: string, volumeId: string): Promise<LoadedManifest> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { manifest: EMPTY(volumeId) }
    throw err
  }
  const parsed = parse(text)
  if (!parsed) return { manifest: EMPTY(volumeId), discarded: `${path} is not a manifest envctl wrote; every file is compared again` }
  if (parsed.volumeId !== volumeId) return { manifest: EMPTY(volumeId), discarded: 'the volume was made again since the last sync' }
  return { manifest: parsed }
}

function parse(text: string): Manifest | undefined {
  try {
    const v = JSON.parse(text) as Manifest
    return typeof v.volumeId === 'string' && typeof v.files === 'object' && v.files !== null ? v : undefined
  } catch {
    return undefined
  }
}

export async function saveManifest(path: string, manifest: Manifest): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true, mode: 0o700 })
  await writeFileAtomic(path, `${JSON.stringify(manifest)}\n`, 0o600)
}
