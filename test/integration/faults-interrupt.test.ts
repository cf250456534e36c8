/**
 * Ctrl-C at the steps of `envctl up` (pull, build, create, start; the notebook wait is in faults-engine, which
 * has a Python environment at hand), on a side engine so that "nothing half-made" can be checked against the
 * whole engine. The CLI's stderr is not a TTY, so progress is plain step lines ("> Build image"); SIGINT goes
 * out when a step's line appears, or when the engine reports the new container's create event (which lands
 * between create and start). Each replace case starts from a running environment with another spec, which must
 * come through exactly as it was. A node stack keeps it fast: its image is the base plus a few cheap layers.
 */
import { writeFile } from 'node:fs/promises'
import { setTimeout as delay } from 'node:timers/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runCli, startCli, type LiveCli, type RunResult } from './support/cli.js'
import { testRunId } from './support/cleanup.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'
import { containerSnapshot, danglingImages, expectNoStackTrace, expectOnly, nextCreate, tagMap, type ContainerSnapshot } from './support/faults.js'
import { describeSideEngine, SideEngine } from './support/side-engine.js'

const id = testRunId().replace(/[^a-z0-9]/g, '')
const env = `fint-${id}`
const INTERRUPTED = 130
/** `release` changes the image in a second; `apt` adds a step that takes a while (apt-get update). */
function stack(opts: { release?: string; apt?: string[] } = {}): string {
  return [
    `name = "${env}"`,
    'extends = "node"',
    '[node]\nversion = "20"',
    '[gpu]\nmode = "none"',
    `[packages]\napt = ${JSON.stringify(opts.apt ?? [])}`,
    `[env]\nFAULTS_RELEASE = "${opts.release ?? '1'}"`,
    '[network]\nbuild_network = "host"',
    '',
  ].join('\n')
}

describeSideEngine('faults: Ctrl-C at every step of up', () => {
  let engine: SideEngine
  let ws: Workspace
  let state: Workspace

  const opts = () => ({ cwd: ws.dir, user: ws.user, env: { DOCKER_HOST: engine.dockerHost, XDG_STATE_HOME: state.dir } })
  const envctl = (args: string[]): Promise<RunResult> => runCli(args, opts())
  const up = (args: string[] = []): LiveCli => startCli(['up', ...args], opts())
  const containers = async () => (await engine.docker.listContainers({ all: true })).map((c) => c.Id)
  const tags = () => tagMap(engine.docker)
  const dangling = () => danglingImages(engine.docker)

  /** The environment as the replace cases find it: created from stack(), running. */
  async function previous(): Promise<ContainerSnapshot> {
    await writeFile(ws.path('envctl.toml'), stack())
    const r = await envctl(['up', '--json'])
    if (r.code !== 0) throw new Error(`envctl up failed (${r.code}):\n${r.stdout}\n${r.stderr}\n--- dockerd\n${engine.logTail()}`)
    return containerSnapshot(engine.docker, (r.json as { containerId: string }).containerId)
  }

  async function interrupted(cli: LiveCli): Promise<RunResult> {
    cli.kill('SIGINT')
    const r = await cli.result
    expect(r.code, r.stderr).toBe(INTERRUPTED)
    expect(r.stderr).toMatch(/error\[INTERRUPTED\]/)
    expectNoStackTrace(r.stderr)
    return r
  }

  beforeAll(async () => {
    engine = await SideEngine.start()
    ws = await makeWorkspace({ 'envctl.toml': stack() })
    state = await makeWorkspace()
  })

  afterAll(async () => {
    await engine?.teardown()
    await Promise.all([ws?.remove(), state?.remove()])
  })

  it('at "Pull base image" (an empty engine): exit 130 at once, no container, no image', async () => {
    const cli = up()
    await cli.waitFor(/^> Pull base image$/m)
    const r = await interrupted(cli)
    expect(r.stderr, 'the pull itself was cut short').not.toMatch(/✓ Pull base image/)
    expect(await containers()).toEqual([])
    expect(await tags(), 'no image at all: neither the base nor a half-pulled one').toEqual({})
    expect(await engine.docker.listImages({ all: true })).toEqual([])
  })

  it('at "Build image" of a changed spec: exit 130, no new tag, the previous environment untouched', async () => {
    const before = await previous()
    const [tagsBefore, danglingBefore] = [await tags(), await dangling()]
    await writeFile(ws.path('envctl.toml'), stack({ apt: ['cowsay'] }))
    const cli = up()
    await cli.waitFor(/^> Build image$/m)
    await delay(1500)
    const r = await interrupted(cli)
    expect(r.stderr).not.toMatch(/✓ Build image/)
    await expectOnly(engine.docker, before)
    expect(await tags()).toEqual(tagsBefore)
    expect(await dangling()).toEqual(danglingBefore)
  })

  it('at "Start environment" (creating the replacement): exit 130, the previous environment untouched, no extra container', async () => {
    const before = await previous()
    const danglingBefore = await dangling()
    await writeFile(ws.path('envctl.toml'), stack({ release: '2' }))
    const cli = up()
    await cli.waitFor(/^> Start environment$/m)
    await interrupted(cli)
    await expectOnly(engine.docker, before)
    expect(await dangling()).toEqual(danglingBefore)
  })

  it('between create and start of the replacement: exit 130, the previous environment untouched, the new container removed', async () => {
    const before = await previous()
    await writeFile(ws.path('envctl.toml'), stack({ release: '3' }))
    const events = await nextCreate(engine.docker)
    try {
      const cli = up()
      const created = await events.created
      await interrupted(cli)
      await expectOnly(engine.docker, before)
      await expect(engine.docker.getContainer(created).inspect()).rejects.toMatchObject({ statusCode: 404 })
    } finally {
      events.close()
    }
  })

  it('without Ctrl-C the same up replaces the environment (the cases above did reach the replacement)', async () => {
    const before = await previous()
    await writeFile(ws.path('envctl.toml'), stack({ release: '4' }))
    const r = await envctl(['up', '--json'])
    expect(r.code, r.stderr).toBe(0)
    const after = (r.json as { containerId: string }).containerId
    expect(after).not.toBe(before.id)
    expect(await containers()).toEqual([after])
    expect((await containerSnapshot(engine.docker, after)).running).toBe(true)
  })
})
