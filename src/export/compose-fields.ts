/** Fields the environment and its services spell alike in a Compose file. */

/** A published port, on 127.0.0.1 unless the plan says otherwise: HOST_IP:HOST:CONTAINER/PROTOCOL. */
export function port(p: { containerPort: number; hostPort?: number; hostIp?: string; protocol?: string }): string {
  return `${p.hostIp ?? '127.0.0.1'}:${p.hostPort ?? ''}:${p.containerPort}/${p.protocol ?? 'tcp'}`
}

/** Environment variables in a stable order. */
export function sortedEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)))
}
