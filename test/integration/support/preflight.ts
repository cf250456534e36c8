/**
 * Vitest globalSetup of the integration project: checks once, before any file runs, what would otherwise
 * fail (or skip) every test one by one, and says it in one message.
 * - No engine: under ENVCTL_REQUIRE_ENGINE=1 (CI) the run stops; otherwise every suite is skipped, and
 *   this says why (describeEngine also names the reason in each skipped suite).
 * - Under root the CLI runs as the unprivileged test users: each must be able to read the checkout.
 */
import { repoRoot } from './cli.js'
import { checkoutUnreadable } from './checkout-access.js'
import { engineEndpoint, pingEngine } from './engine-probe.js'
import { removeWorkspaceImages } from './cleanup.js'
import { asUser, secondUser } from './fixtures.js'

export default async function preflight(): Promise<(() => Promise<void>) | void> {
  const endpoint = engineEndpoint()
  const unavailable = await pingEngine(endpoint)
  if (unavailable !== undefined) {
    const reason = `no Docker engine at ${endpoint.where} (${unavailable})`
    if (process.env.ENVCTL_REQUIRE_ENGINE === '1') throw stop(`${reason}, and ENVCTL_REQUIRE_ENGINE=1 requires one; run \`bash .ci/setup.sh\` and source its env.sh`)
    console.warn(`\n⚠ integration tests SKIPPED: ${reason}. Run \`bash .ci/setup.sh\` for an engine; set ENVCTL_REQUIRE_ENGINE=1 to fail instead.\n`)
    return
  }
  if (process.getuid?.() === 0) {
    for (const user of [asUser(), secondUser()]) {
      const problem = user && checkoutUnreadable(repoRoot, user)
      if (problem) throw stop(problem)
    }
  }
  // Stacks named after a test workspace (envctl-it-XXXXXX) leave their images; the run removes them at the end.
  return async () => {
    const removed = await removeWorkspaceImages()
    if (removed > 0) console.log(`removed ${removed} image(s) of test workspaces`)
  }
}

/** One message, without a stack trace into vitest that would bury it. */
function stop(message: string): Error {
  const err = new Error(`integration tests stopped: ${message}`)
  err.stack = `Error: ${err.message}`
  return err
}
