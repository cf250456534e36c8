// After `up` on an ssh:// engine: a detached `envctl forward --background` keeps the environment's ports and
// notebook on 127.0.0.1 here after up exits (one more SSH connection, for as long as the environment runs).
// up waits until it listens, so the URL it prints works at once. Reusing a live one keeps `up` a no-op.
import { spawn } from 'node:child_process'
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import type { PortMapping } from '../engine/local-forward.js'
import type { UpResult } from '../environment/up/types.js'
import { liveTunnel, tunnelFile, type TunnelState } from '../environment/tunnel/tunnel-state.js'

export interface TunnelStart {
  name: string
  containerId: string
  dockerHost: string
  stateDir: string
  /** This CLI's entry point (bin/run.js) and the folder it runs in. */
  entry: string
  cwd: string
}

/** The live tunnel for the container, started when there is none; its failure is a warning, not up's. */
export async function ensureTunnel(t: TunnelStart): Promise<{ state?: TunnelState; warning?: string }> {
  const file = tunnelFile(t.stateDir, t.name)
  const live = liveTunnel(file, t.containerId)
  if (live) return { state: live }
  const logFile = file.replace(/\.json$/, '.log')
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
  const log = openSync(logFile, 'w', 0o600)
  const child = spawn(process.execPath, [t.entry, 'forward', t.name, '--background', '--docker-host', t.dockerHost], { cwd: t.cwd, detached: true, stdio: ['ignore', log, log] })
  closeSync(log)
  child.unref()
  let exited = false
  child.once('exit', () => (exited = true))
  for (let i = 0; i < 300 && !exited; i++) {
    const state = liveTunnel(file, t.containerId)
    if (state?.pid === child.pid) return { state }
    await delay(50)
  }
  if (!exited) child.kill()
  const said = readLog(logFile)
  return { warning: `the background tunnel did not start${said ? ` (${said})` : ''}: run envctl forward ${t.name} to forward the ports yourself` }
}

/** up's result with the laptop's ports: the notebook URL names the port here, and a note says what runs. */
export function withTunnel(r: UpResult, state: TunnelState, dockerHost: string): UpResult {
  const local = (remote: number) => state.mappings.find((m: PortMapping) => m.remote === remote)?.local
  const nbLocal = r.notebook ? local(r.notebook.port) : undefined
  const notebook = r.notebook && nbLocal ? { ...r.notebook, url: r.notebook.url.replace(`127.0.0.1:${r.notebook.port}/`, `127.0.0.1:${nbLocal}/`), port: nbLocal } : r.notebook
  const shown = state.mappings.map((m) => `127.0.0.1:${m.local} → ${m.remote}`).join(', ')
  const note = `tunnel: ${shown} on ${dockerHost}, through SSH (background pid ${state.pid}; it stops with the environment)`
  return { ...r, notebook, tunnel: { pid: state.pid, mappings: state.mappings }, notes: [...r.notes, note] }
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).slice(-3).join(' ')
  } catch {
    return ''
  }
}
