/**
 * Where the Docker engine is and whether it answers: a plain HTTP `/_ping` (no dockerode) so that a missing
 * engine costs milliseconds. No vitest import, so that globalSetup (preflight.ts) can use it too.
 */
import { request } from 'node:http'

export interface EngineEndpoint {
  /** What to show in messages, e.g. `unix:///var/run/docker.sock`. */
  readonly where: string
  readonly socketPath?: string
  readonly host?: string
  readonly port?: number
}

/** The engine DOCKER_HOST names (unix:// or tcp://), else the default socket. */
export function engineEndpoint(dockerHost = process.env.DOCKER_HOST): EngineEndpoint {
  if (!dockerHost) return { where: 'unix:///var/run/docker.sock', socketPath: '/var/run/docker.sock' }
  const url = new URL(dockerHost)
  if (url.protocol === 'unix:') return { where: dockerHost, socketPath: url.pathname }
  return { where: dockerHost, host: url.hostname, port: Number(url.port || 2375) }
}

/** Why the engine did not answer, or undefined when it did. */
export function pingEngine(endpoint = engineEndpoint(), timeoutMs = 2000): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ ...endpoint, path: '/_ping', timeout: timeoutMs }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode === 200 ? undefined : `/_ping answered HTTP ${res.statusCode}`))
    })
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)))
    req.on('error', (err) => resolve(err.message))
    req.end()
  })
}
