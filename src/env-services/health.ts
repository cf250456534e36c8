import type { Engine } from '../engine/engine.js'
import { EnvctlError, type Problem } from '../errors/envctl-error.js'
import { capture } from '../ui/capture.js'
import type { ServicePlan } from './plan.js'

const POLL_MS = 500

/** The last lines a container wrote, as problems to show under the error. */
export async function logTail(engine: Engine, id: string, lines = 20): Promise<Problem[]> {
  const out = capture()
  await engine.logs(id, { tail: lines, stdout: out.stdout, stderr: out.stderr }).catch(() => {})
  const { stdout, stderr } = out.text()
  return `${stdout}${stderr}`.split('\n').filter((l) => l.trim() !== '').map((message) => ({ message }))
}

async function unhealthy(engine: Engine, id: string, s: ServicePlan, why: string, lastCheck: string): Promise<EnvctlError> {
  const check = lastCheck.trim() ? [{ message: `health check said: ${lastCheck.trim().split('\n').slice(-3).join(' | ')}` }] : []
  return new EnvctlError('SERVICE_UNHEALTHY', `service ${s.name} (${s.spec.image}) ${why}; its log ends:`, {
    problems: [...(await logTail(engine, id)), ...check],
    hint: `fix what the log shows in [services.${s.name}] (env, command, healthcheck) and run envctl up again; a previous healthy set of services is kept`,
  })
}

/** One run of the service's check: its exit code and what it printed. */
async function checkOnce(engine: Engine, id: string, command: string[]): Promise<{ ok: boolean; said: string }> {
  const out = capture()
  const code = await engine.exec(id, { cmd: command, stdout: out.stdout, stderr: out.stderr }).catch((e: Error) => (out.stderr.write(e.message), -1))
  const { stdout, stderr } = out.text()
  return { ok: code === 0, said: `${stdout}${stderr}` }
}

/**
 * Waits until the service's health command succeeds inside it (without one: until the image's own HEALTHCHECK
 * says healthy, or, when it has none, that it is running), up
 * to its timeout. A service that exits, or never becomes healthy, is SERVICE_UNHEALTHY with its log tail.
 */
export async function waitHealthy(engine: Engine, id: string, s: ServicePlan, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + s.health.timeoutS * 1000
  let said = ''
  for (;;) {
    if (signal?.aborted) throw new EnvctlError('INTERRUPTED', `interrupted while waiting for service ${s.name}`)
    const info = await engine.inspectContainer(id)
    if (!info.running) throw await unhealthy(engine, id, s, `exited with code ${info.exitCode} before it was healthy`, said)
    if (s.health.command.length === 0 && info.health === undefined) return
    // Without a check of envctl's, the image's own HEALTHCHECK decides, as the engine runs it.
    const check = s.health.command.length ? await checkOnce(engine, id, s.health.command) : { ok: info.health === 'healthy', said: `the image's HEALTHCHECK says ${info.health}` }
    if (check.ok) return
    said = check.said
    if (Date.now() >= deadline) throw await unhealthy(engine, id, s, `was not healthy after ${s.health.timeoutS}s (check: ${s.health.command.join(' ') || "the image's HEALTHCHECK"})`, said)
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
  }
}
