/**
 * `envctl doctor` as a child process (the built CLI, which test/support/fresh-dist.ts keeps fresh).
 * The unreachable case needs no engine; the ready case runs only where an engine answers.
 */
import { describe, expect, it } from 'vitest'
import { repoRoot, runCli } from '../integration/support/cli.js'
import { describeEngine } from '../integration/support/engine.js'

describe('envctl doctor without an engine', () => {
  it('reports the engine check as failed and exits with ENGINE_UNREACHABLE (10)', async () => {
    const result = await runCli(['doctor', '--json', '--docker-host', 'unix:///nonexistent.sock'], { cwd: repoRoot })
    expect(result.code).toBe(10)
    expect(result.json).toMatchObject({
      ok: false,
      checks: [
        { name: 'engine', status: 'fail', code: 'ENGINE_UNREACHABLE', detail: 'cannot reach the Docker engine at unix:///nonexistent.sock: the socket does not exist (engine chosen by flag --docker-host)' },
        { name: 'buildkit', status: 'warn' },
        { name: 'nvidia-runtime', status: 'warn' },
        { name: 'gpu' },
        { name: 'ulimits', status: 'warn' },
        { name: 'gpu-build' },
        { name: 'disk', status: 'warn' },
      ],
    })
  })

  it('prints the checks for people, with the fix', async () => {
    const result = await runCli(['doctor', '--docker-host', 'unix:///nonexistent.sock'], { cwd: repoRoot })
    expect(result.code).toBe(10)
    expect(result.stdout).toMatch(/^FAIL {2}engine +cannot reach the Docker engine at unix:\/\/\/nonexistent.sock/)
    expect(result.stdout).toContain('fix: start the engine')
  })

  it('rejects a malformed --docker-host as a usage error (3)', async () => {
    const result = await runCli(['doctor', '--docker-host', 'fd://3'], { cwd: repoRoot })
    expect(result.code).toBe(3)
    expect(result.stderr).toContain('error[USAGE]: Docker host "fd://3" cannot be used')
  })
})

describeEngine('envctl doctor with an engine', () => {
  it('exits 0 with every check ok or warn', async () => {
    const result = await runCli(['doctor', '--json'], { cwd: repoRoot })
    expect(result.code).toBe(0)
    expect(result.json).toMatchObject({ ok: true, checks: expect.arrayContaining([expect.objectContaining({ name: 'engine', status: 'ok' })]) })
  })
})
