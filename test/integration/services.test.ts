/**
 * Services beside the environment on the real engine: a service started before the environment and reached
 * from it by name; its data on a named volume that `down` keeps and `down --volumes` removes; a service that
 * never becomes healthy fails the run and leaves nothing; a changed service is replaced; a missing image is
 * PULL_FAILED naming it. The service is python3's http.server from the python image the mirror serves.
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import Docker from 'dockerode'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runCli, type RunResult } from './support/cli.js'
import { removeByLabel, testRunId } from './support/cleanup.js'
import { describeEngine } from './support/engine.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'

const id = testRunId().replace(/[^a-z0-9]/g, '')
const good = `svc-${id}`
const bad = `svc-bad-${id}`
const IMAGE = 'python:3.11-slim-bookworm'
/** The python image under a catalog name (removed after): the catalog's rendering, run for real. */
const catalogTag = `redis:envctl-it-${id}`
const CHECK = `["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/')"]`

function stack(name: string, service: string): string {
  return `name = "${name}"\nextends = "node"\n[node]\nversion = "20"\n[gpu]\nmode = "none"\n\n${service}`
}

function web(extra = ''): string {
  return `[services.web]\nimage = "${IMAGE}"\ncommand = ["python3", "-m", "http.server", "8000", "--directory", "/data"]\ndata = "/data"\nhealthcheck = { command = ${CHECK}, timeout = 30 }\n${extra}`
}

interface UpJson {
  container: string
  services: Array<{ name: string; container: string; action: string }>
}

describeEngine('services beside the environment', () => {
  const docker = new Docker()
  let ws: Workspace
  let broken: Workspace
  const envctl = (w: Workspace, args: string[]): Promise<RunResult> => runCli(args, { cwd: w.dir, user: w.user, timeoutMs: 150_000 })
  const labelled = (name: string) => JSON.stringify({ label: [`dev.envctl.service-env=${name}`] })
  const leftovers = async (name: string) => ({
    containers: (await docker.listContainers({ all: true, filters: labelled(name) })).length,
    networks: (await docker.listNetworks({ filters: labelled(name) })).length,
    volumes: ((await docker.listVolumes({ filters: labelled(name) })).Volumes ?? []).length,
  })
  const up = async (w: Workspace): Promise<UpJson> => {
    const r = await envctl(w, ['up', '--json'])
    if (r.code !== 0) throw new Error(`envctl up failed (${r.code}):\n${r.stdout}\n${r.stderr}`)
    return r.json as UpJson
  }
  const fetchFromEnv = (w: Workspace, path: string) =>
    envctl(w, ['exec', '--', 'node', '-e', `fetch('http://web:8000/${path}').then(async (r) => { console.log(r.status, await r.text()) })`])

  beforeAll(async () => {
    ws = await makeWorkspace({ 'envctl.toml': stack(good, web()) })
    broken = await makeWorkspace({ 'envctl.toml': stack(bad, `[services.web]\nimage = "${IMAGE}"\ncommand = ["sleep", "600"]\nhealthcheck = { command = ["sh", "-c", "echo not ready yet; exit 1"], timeout = 2 }\n`) })
  }, 60_000)

  afterAll(async () => {
    await docker.getImage(catalogTag).remove().catch(() => {})
    for (const name of [good, bad]) {
      await removeByLabel(`dev.envctl.project=${name}`)
      await removeByLabel(`dev.envctl.service-env=${name}`)
    }
  }, 60_000)

  it('starts the service before the environment, which reaches it by name; a second up keeps it', async () => {
    const first = await up(ws)
    expect(first.services.map((s) => [s.name, s.action])).toEqual([['web', 'created']])
    const svc = docker.getContainer(first.services[0]!.container)
    const exec = await svc.exec({ Cmd: ['sh', '-c', 'echo kept > /data/marker.txt'] })
    await exec.start({})
    await new Promise((r) => setTimeout(r, 300))
    const got = await fetchFromEnv(ws, 'marker.txt')
    expect(got.stdout.trim()).toBe('200 kept')
    const again = await up(ws)
    expect(again.services.map((s) => s.action)).toEqual(['kept'])
    const ls = await envctl(ws, ['ls', '--json'])
    const listed = (ls.json as Array<{ container: string; services: Array<{ name: string; status: string }> }>).find((e) => e.container === first.container)
    expect(listed?.services.map((s) => [s.name, s.status])).toEqual([['web', 'running']])
    expect((await envctl(ws, ['ls'])).stdout).toContain(`service of ${good}: web running (${IMAGE})`)
    const logs = await envctl(ws, ['logs', '--service', 'web'])
    expect(logs.stdout + logs.stderr).toContain('GET /marker.txt')
    const none = await envctl(ws, ['logs', '--service', 'nope'])
    expect([none.code, none.stderr]).toEqual([16, expect.stringContaining('its services: web')])
  }, 240_000)

  it('stop stops the services with the environment, and up starts them again', async () => {
    const stop = await envctl(ws, ['stop', '--json'])
    expect((stop.json as { services: string[] }).services).toHaveLength(1)
    expect((await docker.listContainers({ filters: labelled(good) })).length).toBe(0)
    const again = await up(ws)
    expect(again.services.map((s) => s.action)).toEqual(['started'])
    expect((await fetchFromEnv(ws, 'marker.txt')).stdout.trim()).toBe('200 kept')
  }, 240_000)

  it('keeps the data through down and up, and down --volumes removes it', async () => {
    const down = await envctl(ws, ['down', '--json'])
    expect(down.code).toBe(0)
    expect((down.json as { services: { keptVolumes: string[] } }).services.keptVolumes).toHaveLength(1)
    expect(await leftovers(good)).toEqual({ containers: 0, networks: 0, volumes: 1 })
    await up(ws)
    expect((await fetchFromEnv(ws, 'marker.txt')).stdout.trim()).toBe('200 kept')
    expect((await envctl(ws, ['down', '--volumes'])).code).toBe(0)
    expect(await leftovers(good)).toEqual({ containers: 0, networks: 0, volumes: 0 })
  }, 240_000)

  it('replaces a changed service', async () => {
    const before = await up(ws)
    const oldId = (await docker.getContainer(before.services[0]!.container).inspect()).Id
    await writeFile(join(ws.dir, 'envctl.toml'), stack(good, web('env = { CHANGED = "1" }\n')))
    const after = await up(ws)
    expect(after.services.map((s) => s.action)).toEqual(['replaced'])
    const now = await docker.getContainer(after.services[0]!.container).inspect()
    expect(now.Id).not.toBe(oldId)
    expect(now.Config.Env).toContain('CHANGED=1')
    expect(await leftovers(good)).toMatchObject({ containers: 1, networks: 1 })
    expect((await fetchFromEnv(ws, '')).stdout).toMatch(/^200 /)
  }, 240_000)

  it('keeps the previous healthy service when its replacement never becomes healthy', async () => {
    const before = await up(ws)
    const healthyId = (await docker.getContainer(before.services[0]!.container).inspect()).Id
    await writeFile(join(ws.dir, 'envctl.toml'), stack(good, web('env = { CHANGED = "2" }\n').replace(/healthcheck = .*\n/, 'healthcheck = { command = ["false"], timeout = 1 }\n')))
    const r = await envctl(ws, ['up'])
    expect(r.code).toBe(22)
    const kept = await docker.getContainer(before.services[0]!.container).inspect()
    expect([kept.Id, kept.State.Running]).toEqual([healthyId, true])
    expect(await leftovers(good)).toMatchObject({ containers: 1, networks: 1 })
    expect((await fetchFromEnv(ws, '')).stdout).toMatch(/^200 /)
  }, 240_000)

  it('fails clearly on a service that never becomes healthy and leaves nothing of it', async () => {
    const r = await envctl(broken, ['up'])
    expect(r.code).toBe(22)
    expect(r.stderr).toContain('service web')
    expect(r.stderr).toContain('not ready yet')
    expect(await leftovers(bad)).toEqual({ containers: 0, networks: 0, volumes: 0 })
    expect(await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`dev.envctl.project=${bad}`] }) })).toHaveLength(0)
  }, 240_000)

  it('names a service image it cannot pull', async () => {
    await writeFile(join(broken.dir, 'envctl.toml'), stack(bad, `[services.web]\nimage = "127.0.0.1:5000/envctl-missing/nothing-${id}:1"\n`))
    const r = await envctl(broken, ['up'])
    expect(r.code).toBe(11)
    expect(r.stderr).toContain(`nothing-${id}:1`)
    expect(await leftovers(bad)).toEqual({ containers: 0, networks: 0, volumes: 0 })
  }, 120_000)

  it("gives the environment a catalog service's connection variables", async () => {
    const [repo, tag] = catalogTag.split(':')
    await docker.getImage(IMAGE).tag({ repo, tag })
    const service = `[services.cache]\nimage = "${catalogTag}"\ncommand = ["sleep", "600"]\ndata = "none"\nhealthcheck = { command = ["true"] }\n`
    await writeFile(join(broken.dir, 'envctl.toml'), stack(bad, service))
    await up(broken)
    const env = await envctl(broken, ['exec', '--', 'printenv', 'REDIS_URL'])
    expect(env.stdout.trim()).toBe('redis://cache:6379')
  }, 240_000)
})
