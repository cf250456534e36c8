import { describe, expect, it } from 'vitest'
import type { ContainerInfo, Engine, ExecOptions, LogsOptions } from '../../../src/engine/engine.js'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import { waitHealthy } from '../../../src/env-services/health.js'
import type { ServicePlan } from '../../../src/env-services/plan.js'

/** Just what waitHealthy asks of an engine: the container's state, an exec with an exit code, its log. */
function engine(state: Partial<ContainerInfo>, execCodes: number[] = [], log = 'line one\nline two\n') {
  const execs: string[][] = []
  const e = {
    inspectContainer: async () => ({ running: true, exitCode: 0, ...state }) as ContainerInfo,
    exec: async (_id: string, o: ExecOptions) => {
      execs.push(o.cmd)
      o.stdout?.write('checked\n')
      return execCodes.shift() ?? 1
    },
    logs: async (_id: string, o: LogsOptions) => void o.stdout.write(log),
  }
  return { engine: e as unknown as Engine, execs }
}

const service = (command: string[], timeoutS = 0): ServicePlan =>
  ({ name: 'db', kind: null, image: 'pg:16', digest: null, container: 'c', volume: null, dependsOn: [], connect: {}, health: { command, timeoutS }, spec: { image: 'pg:16' } }) as ServicePlan

async function failure(p: Promise<unknown>): Promise<EnvctlError> {
  const err = await p.then(() => null, (e: unknown) => e)
  if (!(err instanceof EnvctlError)) throw new Error(`expected an EnvctlError, got ${String(err)}`)
  return err
}

describe('waitHealthy', () => {
  it('returns once the check exits 0, running it inside the service', async () => {
    const f = engine({}, [1, 0])
    await waitHealthy(f.engine, 'id', service(['pg_isready'], 5))
    expect(f.execs).toEqual([['pg_isready'], ['pg_isready']])
  })

  it('fails at once, with the log tail, when the service exits', async () => {
    const err = await failure(waitHealthy(engine({ running: false, exitCode: 3 }).engine, 'id', service(['pg_isready'], 5)))
    expect(err.code).toBe('SERVICE_UNHEALTHY')
    expect(err.message).toContain('service db (pg:16) exited with code 3')
    expect(err.problems.map((p) => p.message)).toEqual(['line one', 'line two'])
  })

  it('fails after the timeout, naming the check and showing what it said', async () => {
    const err = await failure(waitHealthy(engine({}).engine, 'id', service(['pg_isready'])))
    expect(err.message).toContain('was not healthy after 0s (check: pg_isready)')
    expect(err.problems.at(-1)!.message).toBe('health check said: checked')
    expect(err.hint).toContain('[services.db]')
  })

  it("without a check, follows the image's own HEALTHCHECK, or is healthy once running", async () => {
    await expect(waitHealthy(engine({ health: 'healthy' }).engine, 'id', service([]))).resolves.toBeUndefined()
    await expect(waitHealthy(engine({}).engine, 'id', service([]))).resolves.toBeUndefined()
    const err = await failure(waitHealthy(engine({ health: 'starting' }).engine, 'id', service([])))
    expect(err.message).toContain("check: the image's HEALTHCHECK")
  })
})
