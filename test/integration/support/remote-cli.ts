/**
 * The CLI pointed at a remote-mode side engine: run in the workspace as its user, with the engine's
 * DOCKER_HOST/TLS settings and a state folder of the test's own; `ok` fails with dockerd's log tail.
 */
import { runCli, type RunResult } from './cli.js'
import type { Workspace } from './fixtures.js'
import type { SideEngine } from './side-engine.js'

export interface RemoteCliParts {
  engine: SideEngine
  ws: Workspace
  state: Workspace
}

/** `parts` is read at each call: the engine and folders are made in beforeAll, after this is set up. */
export function remoteCli(parts: () => RemoteCliParts) {
  const envctl = (args: string[], extra: Record<string, string | undefined> = {}): Promise<RunResult> => {
    const { engine, ws, state } = parts()
    return runCli(args, { cwd: ws.dir, user: ws.user, env: { ...engine.remote!.env, XDG_STATE_HOME: state.dir, ...extra } })
  }
  const ok = (r: RunResult): RunResult => {
    if (r.code !== 0) throw new Error(`envctl failed (${r.code}):\n${r.stdout}\n${r.stderr}\n--- dockerd\n${parts().engine.logTail()}`)
    return r
  }
  return { envctl, ok }
}
