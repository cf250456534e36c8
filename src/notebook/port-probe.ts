import { createServer } from 'node:net'
import type { Engine } from '../engine/engine.js'
import type { PortProbe } from './ports.js'

/** Whether this machine lets us listen on 127.0.0.1:port right now (the address the notebook is published on). */
export function canListen(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
    server.once('error', () => resolve(false))
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)))
  })
}

/**
 * Free for this engine: no container publishes it, and, when the engine runs here, nothing else listens
 * on it. A remote engine's own host ports cannot be probed from here; the engine's start error says so.
 */
export function enginePortProbe(engine: Engine): PortProbe {
  let published: Promise<Set<number>> | undefined
  return async (port) => {
    published ??= engine.listContainers().then((cs) => new Set(cs.flatMap((c) => c.ports.map((p) => p.hostPort))))
    return !(await published).has(port) && (!engine.local || (await canListen(port)))
  }
}
