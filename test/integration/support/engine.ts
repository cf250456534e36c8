/**
 * Whether a Docker engine is reachable, and `describeEngine` for suites that need one.
 * The probe is a plain HTTP `/_ping` (no dockerode) so that a missing engine costs milliseconds.
 */
import { describe, it } from 'vitest'
import { engineEndpoint, pingEngine } from './engine-probe.js'

export { engineEndpoint, pingEngine, type EngineEndpoint } from './engine-probe.js'

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
