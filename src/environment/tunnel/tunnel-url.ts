// `envctl url` on a remote engine: the URL that works here (through a live tunnel), and whether one runs.
import type { Engine } from '../../engine/engine.js'
import type { UrlResult } from '../../notebook/show-url.js'
import { liveTunnel, tunnelFile } from './tunnel-state.js'

export interface TunnelView {
  /** running: a forwarder carries the port here; stopped: an ssh:// engine without one; needs-ssh: tcp://. */
  status: 'running' | 'stopped' | 'needs-ssh'
  pid?: number
  note: string
}

export function viaTunnel(engine: Engine, r: UrlResult, stateDir: string): UrlResult & { tunnel?: TunnelView } {
  if (engine.local) return r
  if (!engine.tunnel) {
    return { ...r, tunnel: { status: 'needs-ssh', note: `tunnel: none (the engine at ${engine.host} is reached over TCP; the URL works on its host: ssh -N -L ${r.port}:127.0.0.1:${r.port} that host, or use an ssh:// engine)` } }
  }
  const live = liveTunnel(tunnelFile(stateDir, r.name), r.containerId)
  const m = live?.mappings.find((x) => x.remote === r.port)
  if (!live || !m) return { ...r, tunnel: { status: 'stopped', note: `tunnel: not running; this URL works on the engine's host (${engine.host}): run envctl forward ${r.name} to bring it here` } }
  const url = r.url.replace(`127.0.0.1:${r.port}/`, `127.0.0.1:${m.local}/`)
  return { ...r, url, port: m.local, tunnel: { status: 'running', pid: live.pid, note: `tunnel: running (pid ${live.pid}), 127.0.0.1:${m.local} here → ${r.port} on ${engine.host}` } }
}
