// What `up` hands over is this workspace's environment, for this user, as configured now: identity, run-time
// settings, atomic replacement and concurrency, checked on the real engine.
import { chmod, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import { afterAll, expect, it } from 'vitest'
import Docker from 'dockerode'
import { describeEngine } from './support/engine.js'
import { runCli, type RunResult } from './support/cli.js'
import { makeWorkspace, secondUser, type Workspace } from './support/fixtures.js'
import { testRunId } from './support/cleanup.js'

const docker = new Docker()
const id = testRunId().replace(/[^a-z0-9]/g, '')
const made: Workspace[] = []
const names: string[] = []

function stack(name: string, extra = ''): string {
  names.push(name)
  return `extends = "node"\nname = "${name}"\n[node]\nversion = "20"\n[gpu]\nmode = "none"\n${extra}`
}

async function workspace(files: Record<string, string>, user?: Parameters<typeof makeWorkspace>[1]): Promise<Workspace> {
  const ws = await makeWorkspace(files, user)
  made.push(ws)
  return ws
}

async function containersNamed(name: string) {
  return docker.listContainers({ all: true, filters: JSON.stringify({ label: [`dev.envctl.project=${name}`] }) })
}

const up = (ws: Workspace, args: string[] = [], user = ws.user): Promise<RunResult> => runCli(['up', '--json', ...args], { cwd: ws.dir, user, timeoutMs: 300_000 })
const cli = (ws: Workspace, args: string[], user = ws.user): Promise<RunResult> => runCli(args, { cwd: ws.dir, user, timeoutMs: 120_000 })

interface UpJson { container: string; containerId: string; action: string; mounts: Array<{ source: string; target: string }>; ports: Array<{ container: number; host: string }>; notes: string[] }
const json = (r: RunResult): UpJson => {
  expect(r.code, `${r.stdout}\n${r.stderr}`).toBe(0)
  return r.json as UpJson
}

async function listen(): Promise<{ server: Server; port: number }> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as { port: number }).port }
}

async function freePort(): Promise<number> {
  const { server, port } = await listen()
  await new Promise((resolve) => server.close(resolve))
  return port
}

describeEngine('environment identity and atomic replacement', () => {
  afterAll(async () => {
    for (const n of names) for (const c of await containersNamed(n)) await docker.getContainer(c.Id).remove({ force: true }).catch(() => {})
    await Promise.all(made.map((w) => w.remove()))
  })

  it('two clones with the same stack name get two environments, each with its own workspace', async () => {
    const name = `id-clone-${id}`
    const a = await workspace({ 'envctl.toml': stack(name), 'who.txt': 'clone A\n' })
    const b = await workspace({ 'envctl.toml': stack(name), 'who.txt': 'clone B\n' })
    const ja = json(await up(a))
    const jb = json(await up(b))
    expect(jb.action).toBe('created')
    expect(jb.container).not.toBe(ja.container)
    expect(jb.mounts).toContainEqual({ source: b.dir, target: '/workspace' })
    expect((await cli(a, ['exec', '--', 'cat', '/workspace/who.txt'])).stdout).toBe('clone A\n')
    expect((await cli(b, ['exec', '--', 'cat', '/workspace/who.txt'])).stdout).toBe('clone B\n')
    const info = await docker.getContainer(jb.containerId).inspect()
    expect(info.Mounts.find((m) => m.Destination === '/workspace')?.Source).toBe(b.dir)
    const all = (await cli(a, ['ls', '--all', '--json'])).json as Array<{ container: string; workspace: string; owner: number }>
    expect(all).toContainEqual(expect.objectContaining({ container: ja.container, workspace: a.dir, owner: a.user.uid }))
    expect(all).toContainEqual(expect.objectContaining({ container: jb.container, workspace: b.dir, owner: b.user.uid }))
  })

  it('two users in one project folder get two environments, each running as its user', async () => {
    const other = secondUser()
    expect(other, 'the integration suite runs as root in CI, with a second test user').not.toBeNull()
    const name = `id-users-${id}`
    const ws = await workspace({ 'envctl.toml': stack(name) })
    await chmod(ws.dir, 0o777)
    const first = json(await up(ws))
    const second = json(await up(ws, [], other!))
    expect(second.action).toBe('created')
    expect(second.container).not.toBe(first.container)
    expect((await cli(ws, ['exec', '--', 'id', '-u'])).stdout.trim()).toBe(String(ws.user.uid))
    expect((await cli(ws, ['exec', '--', 'id', '-u'], other!)).stdout.trim()).toBe(String(other!.uid))
    expect(await containersNamed(name)).toHaveLength(2)
  })

  it('up --workspace OTHER is an environment for OTHER, not a no-op on this one', async () => {
    const name = `id-ws-${id}`
    const here = await workspace({ 'envctl.toml': stack(name), 'who.txt': 'here\n' })
    const there = await workspace({ 'who.txt': 'there\n' })
    const a = json(await up(here))
    const b = json(await up(here, ['--workspace', there.dir]))
    expect(b.container).not.toBe(a.container)
    expect(b.mounts).toContainEqual({ source: there.dir, target: '/workspace' })
    expect((await cli(there, ['exec', '--', 'cat', 'who.txt'])).stdout).toBe('there\n')
    expect((await cli(here, ['exec', '--', 'cat', 'who.txt'])).stdout).toBe('here\n')
  })

  it('a change to run-time settings alone replaces the container, and what up reports is what the engine has', async () => {
    const name = `id-run-${id}`
    const port = await freePort()
    const ws = await workspace({ 'envctl.toml': stack(name) })
    const before = json(await up(ws))
    expect(before.ports).toEqual([])
    await writeFile(ws.path('envctl.toml'), stack(name, `[run]\nports = ["${port}:3000"]\nshm_size = "256m"\n`))
    const after = json(await up(ws))
    expect(after.action).toBe('replaced')
    expect(after.container).toBe(before.container)
    expect(after.containerId).not.toBe(before.containerId)
    expect(after.ports).toEqual([{ container: 3000, host: `127.0.0.1:${port}` }])
    const info = await docker.getContainer(after.container).inspect()
    expect(info.Id).toBe(after.containerId)
    expect(info.HostConfig.PortBindings).toEqual({ '3000/tcp': [{ HostIp: '127.0.0.1', HostPort: String(port) }] })
    expect(info.HostConfig.ShmSize).toBe(256 * 1024 * 1024)
    await expect(docker.getContainer(before.containerId).inspect()).rejects.toThrow(/no such container/i)
    expect(json(await up(ws)).action).toBe('running')
  })

  it('a replacement that cannot take its port leaves the old environment running as it was', async () => {
    const name = `id-port-${id}`
    const ws = await workspace({ 'envctl.toml': stack(name) })
    const before = json(await up(ws))
    const taken = await listen()
    try {
      await writeFile(ws.path('envctl.toml'), stack(name, `[run]\nports = ["${taken.port}:3000"]\n`))
      const r = await up(ws)
      expect(r.code).toBe(14)
      expect(r.stdout).toMatch(new RegExp(`${taken.port}`))
    } finally {
      await new Promise((resolve) => taken.server.close(resolve))
    }
    const left = await containersNamed(name)
    expect(left.map((c) => [c.Id, c.State, c.Names[0]])).toEqual([[before.containerId, 'running', `/${before.container}`]])
  })

  it('a replacement whose command fails at start leaves the old environment running, and says why', async () => {
    const name = `id-start-${id}`
    const ws = await workspace({ 'envctl.toml': stack(name) })
    const before = json(await up(ws))
    await writeFile(ws.path('envctl.toml'), stack(name, `[run]\ncommand = ["sh", "-c", "echo cannot-start-here >&2; exit 3"]\n`))
    const r = await up(ws)
    expect(r.code).toBe(17)
    // With --json the error is the result, on stdout.
    expect(r.stdout).toMatch(/exited with code 3/)
    expect(r.stdout).toMatch(/cannot-start-here/)
    const plain = await cli(ws, ['up'])
    expect(plain.code).toBe(17)
    expect(plain.stderr).toMatch(/exited with code 3/)
    expect(plain.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    const left = await containersNamed(name)
    expect(left.map((c) => [c.Id, c.State])).toEqual([[before.containerId, 'running']])
  })

  it('five concurrent up in a new project all succeed and leave one container and a whole envctl.lock', async () => {
    const name = `id-five-${id}`
    const ws = await workspace({ 'envctl.toml': stack(name) })
    const runs = await Promise.all([0, 1, 2, 3, 4].map(() => up(ws)))
    for (const r of runs) expect(r.code, r.stderr).toBe(0)
    const ids = new Set(runs.map((r) => (r.json as UpJson).containerId))
    expect(ids.size).toBe(1)
    const left = await containersNamed(name)
    expect(left).toHaveLength(1)
    expect(left[0]!.State).toBe('running')
    expect(await ws.read('envctl.lock')).toMatch(/lock_version|lockVersion/)
    expect((await cli(ws, ['lock', '--json'])).code).toBe(0)
  })

  it('up racing down converges: both finish, and at most one container is left, never a half-made one', async () => {
    const name = `id-race-${id}`
    const ws = await workspace({ 'envctl.toml': stack(name) })
    json(await up(ws))
    await writeFile(ws.path('envctl.toml'), stack(name, '[run]\nshm_size = "128m"\n'))
    const [u, d] = await Promise.all([up(ws), cli(ws, ['down'])])
    expect(u.code, u.stderr).toBe(0)
    expect([0, 16]).toContain(d.code)
    const left = await containersNamed(name)
    expect(left.length).toBeLessThanOrEqual(1)
    for (const c of left) expect(c.Names[0]).not.toMatch(/-next-/)
  })

  it('an environment made by an earlier envctl (envctl-NAME, no identity labels) is found, then adopted with a notice', async () => {
    const name = `id-legacy-${id}`
    const ws = await workspace({ 'envctl.toml': stack(name), 'who.txt': 'legacy\n' })
    const legacy = await docker.createContainer({
      name: `envctl-${name}`,
      Image: 'debian:bookworm-slim',
      Cmd: ['sleep', 'infinity'],
      User: `${ws.user.uid}:${ws.user.gid}`,
      Labels: { 'dev.envctl.managed': '1', 'dev.envctl.project': name, 'dev.envctl.workspace': ws.dir },
      HostConfig: { Binds: [`${ws.dir}:/workspace`] },
    })
    await legacy.start()
    expect((await cli(ws, ['exec', '--', 'cat', '/workspace/who.txt'])).stdout).toBe('legacy\n')
    const adopted = json(await up(ws))
    expect(adopted.action).toBe('replaced')
    expect(adopted.notes.join('\n')).toMatch(new RegExp(`envctl-${name} was made by an earlier envctl: replaced by ${adopted.container}`))
    await expect(legacy.inspect()).rejects.toThrow(/no such container/i)
    expect(await containersNamed(name)).toHaveLength(1)
  })
})
