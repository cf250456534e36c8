import { show } from './characters.js'

/**
 * `run.ports` entries: "PORT" or "HOST:CONTAINER", optionally /tcp or /udp, as `docker run -p` takes them
 * (without its IP: part; `run.bind` says where to bind). The one grammar for the validator, the JSON schema
 * and the container plan, so a value the stack file accepts is exactly a value `up` can publish.
 */
export const PORT_MAPPING = /^(\d{1,5})(?::(\d{1,5}))?(?:\/(tcp|udp))?$/

export interface PortMapping {
  hostPort: number
  containerPort: number
  protocol: 'tcp' | 'udp'
}

function portProblem(port: number): string | undefined {
  return port >= 1 && port <= 65535 ? undefined : `port ${port} is outside 1–65535`
}

/** The mapping an entry describes, or why it is not one. "8000" publishes container port 8000 on host port 8000. */
export function parsePortMapping(value: string): PortMapping | { problem: string } {
  const m = PORT_MAPPING.exec(value)
  if (!m) return { problem: `port ${show(value)} is not "PORT" or "HOST:CONTAINER" (numbers, optional /tcp or /udp)` }
  const hostPort = Number(m[1])
  const containerPort = m[2] === undefined ? hostPort : Number(m[2])
  const problem = portProblem(hostPort) ?? portProblem(containerPort)
  return problem ? { problem } : { hostPort, containerPort, protocol: (m[3] as 'tcp' | 'udp' | undefined) ?? 'tcp' }
}

export function checkPortMapping(value: string): string | undefined {
  const parsed = parsePortMapping(value)
  return 'problem' in parsed ? parsed.problem : undefined
}
