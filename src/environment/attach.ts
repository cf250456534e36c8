import type { Readable, Writable } from 'node:stream'

/** Where `up` puts the workspace; exec and shell start there. */
export const WORKDIR = '/workspace'

/** How a caller's terminal or pipes are connected to a process in the environment. */
export interface Attach {
  /** uid[:gid] or name; omitted: the container's own user (your uid:gid, as `up` set it). */
  user?: string
  tty?: boolean
  /** Extra environment for the process (TERM, COLUMNS, LINES for a TTY). */
  vars?: Record<string, string>
  stdin?: Readable
  stdout: Writable
  stderr: Writable
}
