// The notebook's part of `envctl up`: decided before the container is created (Docker cannot publish a
// port on an existing container) and written into it before it starts; await-notebook.ts then waits for it.
import type { ContainerSummary, Engine, PortSpec } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { ResolvedStack } from '../resolvers/types.js'
import { LABEL } from '../environment/naming.js'
import { decidePort } from './decide.js'
import { enginePortProbe } from './port-probe.js'
import { checkPort } from './ports.js'
import { labelPort, readToken } from './read-token.js'
import { CONFIG_HOME, CONFIG_REL, NOTEBOOK_PORT, serverCommand, serverConfig, serverFlavor } from './server-config.js'
import { newToken } from './token.js'

export interface NotebookRequest {
  /** --notebook / --no-notebook; undefined: as the stack file says, or as the existing container runs. */
  enabled?: boolean
  /** --port: the host port to publish on (the next free one when taken). */
  port?: number
  /** The user's state folder ($XDG_STATE_HOME/envctl), where the token file goes; without it, no file. */
  stateDir?: string
  /** How long to wait for the server to answer; default 60 s. */
  timeoutMs?: number
}

export interface NotebookServer {
  port: number
  token: string
}

export interface NotebookPlan {
  server: NotebookServer | null
  /** Why the existing container must be replaced, or null. */
  recreate: string | null
  notes: string[]
}


/** Fails before anything is built when the notebook cannot work: no Python, a bad port, a clashing command. */
export function checkNotebookRequest(req: NotebookRequest | undefined, r: ResolvedStack, uid: number): void {
  if (req?.port !== undefined) checkPort(req.port, uid, '--port')
  if (!(req?.enabled ?? (req?.port !== undefined || r.notebook.enabled))) return
  if (req?.port === undefined && r.notebook.port !== null) checkPort(r.notebook.port, uid, 'notebook.port')
  serverFlavor(r)
  if (r.run.command) {
    throw new EnvctlError('UNRESOLVABLE', `stack ${r.stack} sets run.command, and the notebook server needs to be the container's command`, {
      hint: 'remove run.command from the stack file, or start jupyter yourself from it and drop --notebook',
    })
  }
}

/** The port and token for this run; an existing notebook keeps its token, even when the port has to move. */
export async function planNotebook(engine: Engine, req: NotebookRequest | undefined, r: ResolvedStack, existing: ContainerSummary | null): Promise<NotebookPlan> {
  const had = labelPort(existing)
  const current = existing ? { notebookPort: had, running: existing.status === 'running' } : null
  const d = await decidePort(req ?? {}, r.notebook, current, enginePortProbe(engine))
  if (d.port === null) return { server: null, recreate: d.recreate, notes: d.recreate ? [d.recreate] : [] }
  const kept = existing && had !== null ? await readToken(engine, existing.id) : null
  const missing = existing && had !== null && !kept ? 'container recreated: its notebook config was missing' : null
  const recreate = d.recreate ?? missing
  const remote = engine.local ? [] : [remoteNote(engine, d.port)]
  return { server: { port: d.port, token: kept ?? newToken() }, recreate, notes: [...d.notes, ...(recreate ? [recreate] : []), ...remote] }
}

function remoteNote(engine: Engine, port: number): string {
  const there = `the engine is not on this machine: JupyterLab listens on 127.0.0.1:${port} there`
  return engine.tunnel ? `${there}, and envctl forwards it here through SSH` : `${there}; a tunnel needs ssh (ssh -N -L ${port}:127.0.0.1:${port} that host reaches it)`
}

/** ContainerPlanInput's extras: the port on 127.0.0.1 only, whatever run.bind says, and its label. */
export function notebookExtras(server: NotebookServer | null | undefined): { extraPorts: PortSpec[]; extraLabels: Record<string, string> } {
  if (!server) return { extraPorts: [], extraLabels: {} }
  return {
    extraPorts: [{ containerPort: NOTEBOOK_PORT, hostPort: server.port, hostIp: '127.0.0.1', protocol: 'tcp' }],
    extraLabels: { [LABEL.notebookPort]: String(server.port) },
  }
}

export function notebookCmd(server: NotebookServer | null | undefined): { cmd?: string[] } {
  return server ? { cmd: serverCommand() } : {}
}

/** Before first start: the config with the token, owned by the user, readable by nobody else. */
export async function injectNotebook(engine: Engine, id: string, server: NotebookServer, r: ResolvedStack, uid: number, gid: number): Promise<void> {
  const content = serverConfig(server.token, serverFlavor(r), uid === 0)
  await engine.putFiles(id, CONFIG_HOME, [{ path: CONFIG_REL, content, mode: 0o600, uid, gid }])
}
