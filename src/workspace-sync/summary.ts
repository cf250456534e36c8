import { bytes } from '../ui/table.js'
import type { PullResult } from './pull.js'
import type { PushResult } from './push.js'

const count = (n: number, what: string): string => `${n.toLocaleString('en-US')} ${what}${n === 1 ? '' : 's'}`

/** The one line `up` and `sync` say about an upload. */
export function pushLine(r: PushResult): string {
  const where = `volume ${r.volume} on ${r.engine}`
  const removed = r.removed ? `; ${count(r.removed, 'file')} removed there` : ''
  if (r.uploaded === 0 && r.removed === 0) return `workspace: up to date in ${where} (${count(r.files, 'file')}, ${bytes(r.bytes)})`
  if (r.unchanged === 0) return `workspace: uploaded ${count(r.uploaded, 'file')} (${bytes(r.uploadedBytes)}) to ${where}${removed}`
  return `workspace: ${count(r.uploaded, 'changed file')} uploaded (${bytes(r.uploadedBytes)}) to ${where}; ${r.unchanged.toLocaleString('en-US')} unchanged${removed}`
}

/** What `sync --pull` says: what came back, what went, and what was kept because it changed here too. */
export function pullLines(r: PullResult): string[] {
  const head = r.written.length + r.deleted.length === 0
    ? `workspace: nothing changed in volume ${r.volume} on ${r.engine}`
    : `workspace: ${count(r.written.length, 'file')} brought back${r.deleted.length ? `, ${count(r.deleted.length, 'file')} deleted here` : ''} from volume ${r.volume} on ${r.engine}`
  return [head, ...r.conflicts.map((p) => `kept your ${p}: it changed here and in the volume since the last sync (move it aside and run envctl sync --pull again to take the volume's)`)]
}
