import { forwardPorts } from '../engine/local-forward.js'
import type { Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { capture } from '../ui/capture.js'
import type { NotebookRequest, NotebookServer } from './env-notebook.js'
import { NOTEBOOK_PORT } from './server-config.js'
import { tokenFilePath, writeTokenFile } from './token-file.js'
import { notebookUrl, statusUrl } from './url.js'
import { waitForStatus, type ReadyOutcome } from './wait-ready.js'

/** What `up` reports: the URL carries the token, which is also in tokenFile (mode 0600). */
export interface NotebookInfo {
  url: string
  port: number
  /** Null when no state folder was given. */
  tokenFile: string | null
}

async function logTail(engine: Engine, id: string): Promise<string[]> {
  const out = capture()
  await engine.logs(id, { tail: 40, stdout: out.stdout, stderr: out.stderr }).catch(() => {})
  const { stdout, stderr } = out.text()
  return `${stdout}${stderr}`.split('\n').filter((l) => l.trim() !== '')
}

export interface AwaitInput {
  env: string
  containerId: string
  server: NotebookServer
  request: NotebookRequest
  /** Created by this run: removed again when the server never comes up, so nothing is left behind. */
  created: boolean
  signal?: AbortSignal
}

function failure(outcome: ReadyOutcome, port: number, seconds: number): string {
  if (outcome.kind !== 'timeout') return 'JupyterLab exited before it answered'
  const answer = outcome.lastStatus ? `it answered HTTP ${outcome.lastStatus}` : 'nothing answered'
  return `JupyterLab did not answer on 127.0.0.1:${port} within ${seconds} s (${answer})`
}

async function throughTunnel<T>(tunnel: NonNullable<Engine['tunnel']>, port: number, work: (localPort: number) => Promise<T>): Promise<T> {
  const fwd = await forwardPorts((p) => tunnel.open(p), [port])
  try {
    return await work(fwd.mappings[0]!.local)
  } finally {
    await fwd.close()
  }
}

/** Waits for GET /api/status with the token to answer 200, then keeps the token where the user can read it. */
export async function awaitNotebook(engine: Engine, a: AwaitInput): Promise<NotebookInfo> {
  const ports = (await engine.inspectContainer(a.containerId)).ports
  const port = ports.find((p) => p.containerPort === NOTEBOOK_PORT)?.hostPort ?? a.server.port
  const timeoutMs = a.request.timeoutMs ?? 60_000
  const alive = async () => (await engine.inspectContainer(a.containerId)).running
  const wait = (p: number) => waitForStatus(statusUrl(p, a.server.token), { timeoutMs, alive, signal: a.signal })
  // An ssh:// engine's notebook is asked through a short-lived forward of our own SSH connection; tcp:// cannot be asked.
  const outcome = engine.local ? await wait(port) : engine.tunnel ? await throughTunnel(engine.tunnel, port, wait) : { kind: 'ready' as const }
  if (outcome.kind !== 'ready') {
    const log = outcome.kind === 'aborted' ? [] : await logTail(engine, a.containerId)
    if (a.created) await engine.removeContainer(a.containerId, { force: true }).catch(() => {})
    if (outcome.kind === 'aborted') throw new EnvctlError('INTERRUPTED', 'interrupted while waiting for JupyterLab; nothing was left behind')
    throw new EnvctlError('NOTEBOOK_FAILED', `${failure(outcome, port, Math.round(timeoutMs / 1000))}; its log ends:`, {
      problems: log.map((message) => ({ message })),
      hint: a.created ? 'fix what the log shows and run envctl up again (the new container was removed)' : `see envctl logs ${a.env}, then envctl down ${a.env} && envctl up --notebook`,
    })
  }
  const tokenFile = a.request.stateDir ? tokenFilePath(a.request.stateDir, a.env) : null
  if (tokenFile) await writeTokenFile(tokenFile, a.server.token)
  return { url: notebookUrl(port, a.server.token), port, tokenFile }
}
