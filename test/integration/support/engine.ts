/**
 * Whether a Docker engine is reachable, and `describeEngine` for suites that need one.
 * The probe is a plain HTTP `/_ping` (no dockerode) so that a missing engine costs milliseconds.
 */
import { request } from 'node:http'
import { describe, it } from 'vitest'

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

export async function engineAvailable(): Promise<boolean> {
  return (await pingEngine()) === undefined
}

// Probed once per test file, at import, so that describeEngine can decide synchronously while collecting.
const endpoint = engineEndpoint()
const unavailable = await pingEngine(endpoint)

/**
 * `describe` for suites that need a real engine. Without one the suite is skipped with a visible reason,
 * except under ENVCTL_REQUIRE_ENGINE=1 (CI), where it fails instead.
 */
export function describeEngine(name: string, fn: () => void): void {
  if (unavailable === undefined) {
    describe(name, fn)
    return
  }
  const reason = `no Docker engine at ${endpoint.where} (${unavailable})`
  if (process.env.ENVCTL_REQUIRE_ENGINE === '1') {
    describe(name, () => {
      it('has a Docker engine (ENVCTL_REQUIRE_ENGINE=1)', () => {
        throw new Error(`${reason}; run \`bash .ci/setup.sh\` and source its env.sh`)
      })
    })
    return
  }
  console.warn(`integration tests skipped: ${reason}; run \`bash .ci/setup.sh\`, or set ENVCTL_REQUIRE_ENGINE=1 to fail instead`)
  describe.skip(`${name} [skipped: ${reason}]`, fn)
}
