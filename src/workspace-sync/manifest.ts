// What the workspace volume holds, as of the last upload or pull, and the pure decisions made against it.
// A file is known by its content hash; size and mtime only say when a file needs hashing again.

/** One file of the workspace as last synced. */
export interface SyncedFile {
  size: number
  /** The local file's mtime, whole seconds: unchanged size and mtime mean unchanged content. */
  mtime: number
  mode: number
  /** sha256 of the content (of the target, for a symbolic link). */
  hash: string
  /** A symbolic link's target. */
  link?: string
  /** The mtime the file has in the volume (what the archive gave it, or what the volume reported). */
  remoteMtime: number
}

/** A local file as scanned (hash filled in when it is needed). */
export interface LocalFile {
  size: number
  mtime: number
  mode: number
  link?: string
  hash?: string
}

export type FileMap<T> = Record<string, T>

export interface Manifest {
  /** The volume's id label (volume.ts): another volume of that name starts from nothing. */
  volumeId: string
  files: FileMap<SyncedFile>
}

/** Needs hashing: new, or its size or mtime moved since the last sync. */
export function needsHash(local: LocalFile, base: SyncedFile | undefined): boolean {
  return !base || base.size !== local.size || base.mtime !== local.mtime || base.link !== local.link
}

export interface PushPlan {
  upload: string[]
  remove: string[]
  unchanged: number
  /** The manifest once the plan is carried out. */
  next: FileMap<SyncedFile>
}

/** What an upload must send: files whose content or mode changed, and files gone since the last sync. Local files must be hashed. */
export function planPush(local: FileMap<LocalFile>, base: FileMap<SyncedFile>): PushPlan {
  const plan: PushPlan = { upload: [], remove: [], unchanged: 0, next: {} }
  for (const path of Object.keys(local).sort()) {
    const l = local[path]!
    const b = base[path]
    const same = b !== undefined && b.hash === l.hash && b.mode === l.mode && b.link === l.link
    if (same) plan.unchanged++
    else plan.upload.push(path)
    plan.next[path] = { size: l.size, mtime: l.mtime, mode: l.mode, hash: l.hash!, ...(l.link === undefined ? {} : { link: l.link }), remoteMtime: same ? b.remoteMtime : l.mtime }
  }
  plan.remove = Object.keys(base).filter((p) => !(p in local)).sort()
  return plan
}

/** A file in the volume as listed there. */
export interface RemoteFile {
  size: number
  mtime: number
  /** Permission bits. */
  mode: number
}

export interface PullCandidates {
  /** Changed or new in the volume since the last sync: to fetch. */
  fetch: string[]
  /** Synced before and gone from the volume since. */
  gone: string[]
}

/** What a pull must look at; ignored paths are neither fetched nor deleted. */
export function pullCandidates(remote: FileMap<RemoteFile>, base: FileMap<SyncedFile>, ignored: (path: string) => boolean): PullCandidates {
  const fetch = Object.keys(remote).filter((p) => {
    const b = base[p]
    return !ignored(p) && (!b || b.size !== remote[p]!.size || b.remoteMtime !== remote[p]!.mtime)
  })
  const gone = Object.keys(base).filter((p) => !(p in remote) && !ignored(p))
  return { fetch: fetch.sort(), gone: gone.sort() }
}

/**
 * A fetched file against the local one: written when the local file is missing or unchanged since the last
 * sync; the same content needs nothing; a local change is never overwritten (a conflict, said to the user).
 */
export function decideFetched(remoteHash: string, local: LocalFile | undefined, base: SyncedFile | undefined): 'write' | 'same' | 'conflict' {
  if (!local) return 'write'
  if (local.hash === remoteHash) return 'same'
  return base && local.hash === base.hash ? 'write' : 'conflict'
}

/** A file removed in the volume: removed here only when it is as it was synced. */
export function decideGone(local: LocalFile | undefined, base: SyncedFile): 'delete' | 'forget' | 'conflict' {
  if (!local) return 'forget'
  return local.hash === base.hash ? 'delete' : 'conflict'
}
