// A running tunnel's record: $XDG_STATE_HOME/envctl/tunnels/<environment>.json, written by the forwarder once
// it listens and removed when it stops. Only ever trusted together with a live pid and the same container.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { PortMapping } from '../../engine/local-forward.js'

export interface TunnelState {
  pid: number
  engine: string
  containerId: string
  mappings: PortMapping[]
}

export function tunnelFile(stateDir: string, env: string): string {
  return join(stateDir, 'tunnels', `${env}.json`)
}

export function writeTunnel(file: string, state: TunnelState): void {
  mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 })
  writeFileSync(file, `${JSON.stringify(state)}\n`, { mode: 0o600 })
}

export function removeTunnel(file: string, pid: number): void {
  if (readTunnel(file)?.pid === pid) rmSync(file, { force: true })
}

/** The tunnel of this container, when its forwarder still runs; a record left by a dead one counts as none. */
export function liveTunnel(file: string, containerId: string): TunnelState | undefined {
  const state = readTunnel(file)
  return state && state.containerId === containerId && alive(state.pid) ? state : undefined
}

function readTunnel(file: string): TunnelState | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as TunnelState
  } catch {
    return undefined
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
