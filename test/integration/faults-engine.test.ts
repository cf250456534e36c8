/**
 * The engine goes away under envctl, on a side engine (test/integration/support/side-engine.ts) so that the
 * CI engine is never stopped: a restart while an environment runs, and an engine that stops mid-build. Also
 * Ctrl-C while `up` waits for a replacement's JupyterLab, since this file has a notebook environment at hand
 * (the other steps' Ctrl-C cases are in faults-interrupt).
 */
import { writeFile } from 'node:fs/promises'
import { createServer } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runCli, startCli, type RunResult } from './support/cli.js'
import { containerSnapshot, danglingImages, expectNoStackTrace, expectOnly, tagMap } from './support/faults.js'
import { testMirrors, testRunId } from './support/cleanup.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'
import { describeSideEngine, SideEngine } from './support/side-engine.js'

const id = testRunId().replace(/[^a-z0-9]/g, '')
const env = `feng-${id}`
const mirrors = testMirrors()

/** Python with JupyterLab from the local mirror; `pip` adds user packages (a changed spec). */
function pythonStack(pip: string[] = []): string {
  return [
    `name = "${env}"`,
    '[python]\nversion = "3.11"',
    `[packages]\npip = ${JSON.stringify(pip)}`,
    `[mirrors]\npip = "${mirrors.pipIndex}"`,
    '[network]\nbuild_network = "host"',
    '',
  ].join('\n')
}

interface UpJson {
  container: string
  containerId: string
  image: string
  imageId: string
  ports: unknown
  notebook: { url: string; port: number; tokenFile: string } | null
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

describeSideEngine('faults: the engine restarts or goes away', () => {
  let engine: SideEngine
  let ws: Workspace
  let state: Workspace

  const opts = () => ({ cwd: ws.dir, user: ws.user, env: { DOCKER_HOST: engine.dockerHost, XDG_STATE_HOME: state.dir } })
  const envctl = (args: string[]): Promise<RunResult> => runCli(args, opts())
  const status = (url: string) => fetch(url.replace('/lab?', '/api/status?')).then((r) => r.status, () => null)
  const upJson = async (args: string[]): Promise<UpJson> => {
    const r = await envctl([...args, '--json'])
    if (r.code !== 0) throw new Error(`envctl ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}\n--- dockerd\n${engine.logTail()}`)
    return r.json as UpJson
  }

  beforeAll(async () => {
    engine = await SideEngine.start()
    ws = await makeWorkspace({ 'envctl.toml': pythonStack() })
    state = await makeWorkspace()
  })

  afterAll(async () => {
    await engine?.teardown()
    await Promise.all([ws?.remove(), state?.remove()])
  })

  it('after an engine restart, up brings the environment back: same name, ports, notebook URL and token', async () => {
    const first = await upJson(['up', '--notebook', '--port', String(await freePort())])
    const nb = first.notebook!
    expect(await status(nb.url)).toBe(200)

    await engine.restart()
    expect((await engine.docker.getContainer(first.containerId).inspect()).State.Running).toBe(false)
    expect(await status(nb.url)).toBeNull()

    const again = await upJson(['up', '--notebook'])
    expect(again.container).toBe(first.container)
    expect(again.ports).toEqual(first.ports)
    expect(again.notebook).toEqual(nb)
    expect(await status(nb.url)).toBe(200)
    expect((await engine.docker.listContainers({ all: true })).map((c) => c.Names[0])).toEqual([`/${first.container}`])
  })

  it('Ctrl-C while waiting for the JupyterLab of a replacement (moving the notebook port): exit 130, the previous environment untouched and still serving', async () => {
    const current = await upJson(['up', '--notebook'])
    const before = await containerSnapshot(engine.docker, current.containerId)
    const cli = startCli(['up', '--notebook', '--port', String(await freePort())], opts())
    await cli.waitFor(/^> Start JupyterLab$/m)
    cli.kill('SIGINT')
    const r = await cli.result
    expect(r.code, r.stderr).toBe(130)
    expect(r.stderr).toMatch(/error\[INTERRUPTED\]/)
    expectNoStackTrace(r.stderr)
    await expectOnly(engine.docker, before)
    expect(await status(current.notebook!.url)).toBe(200)
  })

  it('an engine that stops mid-build is ENGINE_UNREACHABLE; once it is back, no tag was added and the previous image is untouched', async () => {
    const [tagsBefore, danglingBefore] = [await tagMap(engine.docker), await danglingImages(engine.docker)]
    expect(Object.keys(tagsBefore).some((t) => t.startsWith(`envctl/${env}:`))).toBe(true)
    await writeFile(ws.path('envctl.toml'), pythonStack(['six']))

    const build = startCli(['build'], opts())
    await build.waitFor(/^> Build image$/m)
    await delay(2000)
    await engine.stop()
    const r = await build.result
    await engine.restart()

    expect(r.code, r.stderr).toBe(10)
    expect(r.stderr).not.toMatch(/✓ Build image/)
    expect(r.stderr).toContain(`error[ENGINE_UNREACHABLE]: cannot reach the Docker engine at ${engine.dockerHost}: the connection broke off mid-request (the engine stopped or restarted)`)
    expectNoStackTrace(r.stderr)
    expect(await tagMap(engine.docker)).toEqual(tagsBefore)
    expect(await danglingImages(engine.docker)).toEqual(danglingBefore)
  })
})
