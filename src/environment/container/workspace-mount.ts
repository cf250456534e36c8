import type { SourceLocation } from '../../errors/envctl-error.js'

export const REMOTE_PREFIX = 'remote:'

/** What /workspace is made from, and the one line `up` says about it when it is not the local folder. */
export interface WorkspaceMount {
  /** A folder on the engine's host, or (volume) the name of the volume the workspace is uploaded into. */
  source: string
  volume?: boolean
  note?: string
}

export interface WorkspaceFacts {
  /** The local workspace (the folder `up` runs for). */
  workspace: string
  /** `workspace` in the stack file, as written ("remote:/srv/me/project"), and where. */
  setting?: string
  at?: SourceLocation
  engine: { host: string; local: boolean }
  /** The environment's workspace volume, used on a remote engine without `remote:` (src/workspace-sync). */
  volume: string
}

/**
 * A bind mount names a path on the engine's machine. A local engine mounts the local folder; a remote one
 * mounts the folder the stack file names on its host, and without one the workspace is uploaded into a
 * volume there (never a bind of whatever the laptop's path happens to be over there).
 */
export function workspaceMount(f: WorkspaceFacts): WorkspaceMount {
  const remotePath = f.setting?.startsWith(REMOTE_PREFIX) ? f.setting.slice(REMOTE_PREFIX.length) : undefined
  if (remotePath) return { source: remotePath, note: `workspace: ${remotePath} on the engine's host (${f.engine.host}), from workspace = "${f.setting}"${where(f.at)}` }
  if (f.engine.local) return { source: f.workspace }
  return { source: f.volume, volume: true }
}

function where(at: SourceLocation | undefined): string {
  return at ? ` (${at.file}:${at.line})` : ''
}
