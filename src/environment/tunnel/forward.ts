// `envctl forward`: the environment's published ports and notebook, which listen on 127.0.0.1 of an ssh://
// engine's host, brought to 127.0.0.1 here through the engine's one SSH connection, until Ctrl-C (or until
// the container stops: a background forwarder started by `up` must not outlive its environment).
import { setTimeout as delay } from 'node:timers/promises'
import type { ContainerSummary, Engine } from '../../engine/engine.js'
import { forwardPorts, type PortMapping } from '../../engine/local-forward.js'
import { EnvctlError } from '../../errors/envctl-error.js'
import { requireRunning } from '../running.js'
import { envLabelName, type EnvTarget } from '../target.js'
import { liveTunnel, removeTunnel, tunnelFile, writeTunnel } from './tunnel-state.js'

export interface ForwardInput {
  stateDir: string
  signal: AbortSignal
  /** How often to check that the container still runs. */
  pollMs?: number
  onReady: (t: { name: string; mappings: PortMapping[]; file: string }) => void
}

export interface ForwardResult {
  name: string
  mappings: PortMapping[]
  /** Why it stopped: Ctrl-C (or SIGTERM), or the container stopped. */
  stopped: 'interrupted' | 'container stopped' | 'engine unreachable'
}

/** The ports a tunnel carries: those published on the engine host's loopback (or all its addresses), TCP. */
export function tunnelPorts(c: Pick<ContainerSummary, 'ports'>): number[] {
  const ports = c.ports.filter((p) => p.protocol === 'tcp' && ['127.0.0.1', '0.0.0.0', '', '::'].includes(p.hostIp) && p.hostPort > 0)
  return [...new Set(ports.map((p) => p.hostPort))].sort((a, b) => a - b)
}

export function requireTunnelEngine(engine: Engine): (port: number) => Promise<import('node:stream').Duplex> {
  if (engine.tunnel) return (port) => engine.tunnel!.open(port)
  if (engine.local) {
    throw new EnvctlError('USAGE', `the engine at ${engine.host} is on this machine: its ports already listen on 127.0.0.1 here, nothing to forward`, { hint: 'envctl url prints the notebook URL; envctl ls shows the ports' })
  }
  throw new EnvctlError('USAGE', `the engine at ${engine.host} is reached over TCP, and a tunnel needs ssh: its ports listen on 127.0.0.1 of that host`, {
    hint: `reach the same engine over ssh (DOCKER_HOST=ssh://user@host) and run envctl forward, or forward a port by hand: ssh -N -L PORT:127.0.0.1:PORT user@host`,
  })
}

export async function forwardEnv(engine: Engine, target: EnvTarget, input: ForwardInput): Promise<ForwardResult> {
  const tunnel = requireTunnelEngine(engine)
  const c = await requireRunning(engine, target)
  const name = envLabelName(c)
  const ports = tunnelPorts(c)
  if (ports.length === 0) throw new EnvctlError('NOT_FOUND', `environment ${name} publishes no ports and runs no notebook: nothing to forward`, { hint: 'add [run] ports to the stack file, or start the notebook: envctl up --notebook' })
  const file = tunnelFile(input.stateDir, name)
  const other = liveTunnel(file, c.id)
  if (other) throw new EnvctlError('USAGE', `a tunnel for ${name} already runs (pid ${other.pid}): ${other.mappings.map(show).join(', ')}`, { hint: `use it, or stop it first: kill ${other.pid}` })
  const fwd = await forwardPorts(tunnel, ports)
  writeTunnel(file, { pid: process.pid, engine: engine.host, containerId: c.id, mappings: fwd.mappings })
  try {
    input.onReady({ name, mappings: fwd.mappings, file })
    const stopped = await untilStopped(engine, c.id, input)
    return { name, mappings: fwd.mappings, stopped }
  } finally {
    removeTunnel(file, process.pid)
    await fwd.close()
    engine.tunnel?.end()
  }
}

export function show(m: PortMapping): string {
  return `127.0.0.1:${m.local} → ${m.remote}`
}

/** A broken connection is not a stopped container (the next check may get through), but 6 in a row end it. */
async function untilStopped(engine: Engine, id: string, input: ForwardInput): Promise<ForwardResult['stopped']> {
  let failures = 0
  while (!input.signal.aborted) {
    await delay(input.pollMs ?? 5_000, undefined, { signal: input.signal }).catch(() => undefined)
    if (input.signal.aborted) break
    // A host that vanished does not answer at all: a check that takes longer than 10 s failed.
    const inspect = engine.inspectContainer(id).then((i) => (i.running ? 'running' : 'stopped'), (e) => (e instanceof EnvctlError && e.code === 'NOT_FOUND' ? 'stopped' : 'failed'))
    const timer = new AbortController()
    const state = await Promise.race([inspect, delay(10_000, 'failed' as const, { signal: AbortSignal.any([timer.signal, input.signal]) }).catch(() => 'failed' as const)])
    timer.abort()
    if (state === 'stopped') return 'container stopped'
    failures = state === 'failed' ? failures + 1 : 0
    if (failures >= 6) return 'engine unreachable'
  }
  return 'interrupted'
}
