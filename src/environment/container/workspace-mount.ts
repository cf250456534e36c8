import { EnvctlError, type SourceLocation } from '../../errors/envctl-error.js'

export const REMOTE_PREFIX = 'remote:'

/** What /workspace is made from, and the one line `up` says about it when it is not the local folder. */
export interface WorkspaceMount {
  source: string
  note?: string
}

export interface WorkspaceFacts {
  /** The local workspace (the folder `up` runs for). */
  workspace: string
  /** `workspace` in the stack file, as written ("remote:/srv/me/project"), and where. */
  setting?: string
  at?: SourceLocation
  engine: { host: string; local: boolean }
}

/**
 * A bind mount names a path on the engine's machine. A local engine mounts the local folder; a remote one
 * mounts the folder the stack file names on its host, and without one `up` stops rather than mount
 * whatever the laptop's path happens to be over there (usually nothing, silently an empty /workspace).
 */
export function workspaceMount(f: WorkspaceFacts): WorkspaceMount {
  const remotePath = f.setting?.startsWith(REMOTE_PREFIX) ? f.setting.slice(REMOTE_PREFIX.length) : undefined
  if (remotePath) return { source: remotePath, note: `workspace: ${remotePath} on the engine's host (${f.engine.host}), from workspace = "${f.setting}"${where(f.at)}` }
  if (f.engine.local) return { source: f.workspace }
  throw new EnvctlError('USAGE', `the engine at ${f.engine.host} is on another machine, so it cannot mount this folder (${f.workspace}) as /workspace`, {
    hint: `clone the project on the engine's host and name that folder in envctl.toml: workspace = "remote:/srv/<you>/<project>"; or use a local engine (--docker-host unix:///var/run/docker.sock)`,
  })
}

function where(at: SourceLocation | undefined): string {
  return at ? ` (${at.file}:${at.line})` : ''
}
