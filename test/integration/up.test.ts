import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import Docker from 'dockerode'
import { describeEngine } from './support/engine.js'
import { runCli } from './support/cli.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'
import { testRunId } from './support/cleanup.js'
import { repoRoot } from './support/cli.js'

const docker = new Docker()
const id = testRunId().replace(/[^a-z0-9]/g, '')
const nodeEnv = `it-node-${id}`
const ptEnv = `it-pt-${id}`
const pytorchStack = readFileSync(`${repoRoot}/test/fixtures/stacks/pytorch-cpu/envctl.toml`, 'utf8')

function nodeStack(extra = ''): string {
  return `extends = "node"\nname = "${nodeEnv}"\n[node]\nversion = "20"\n${extra}`
}

async function containersOf(env: string) {
  return docker.listContainers({ all: true, filters: JSON.stringify({ label: [`dev.envctl.project=${env}`] }) })
}

async function removeEnv(env: string): Promise<void> {
  for (const c of await containersOf(env)) await docker.getContainer(c.Id).remove({ force: true }).catch(() => {})
}

function noStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/)
}

describeEngine('envctl up on a real engine', () => {
  let ws: Workspace

  beforeAll(async () => {
    ws = await makeWorkspace({ 'envctl.toml': nodeStack(), 'hello.txt': 'from the host\n' })
  })

  afterAll(async () => {
    await removeEnv(nodeEnv)
    await removeEnv(ptEnv)
    await ws?.remove()
  })

  it('builds and starts a stack; a second up is a no-op; exec runs in /workspace', async () => {
    const first = await runCli(['up', '--json'], { cwd: ws.dir, user: ws.user })
    expect(first.code, first.stderr).toBe(0)
    expect(first.json).toMatchObject({ name: nodeEnv, action: 'created' })
    expect((first.json as { container: string }).container).toMatch(new RegExp(`^envctl-${nodeEnv}-[0-9a-f]{8}$`))
    expect(String((first.json as { image: string }).image)).toMatch(/^envctl\//)

    const second = await runCli(['up', '--json'], { cwd: ws.dir, user: ws.user })
    expect(second.code, second.stderr).toBe(0)
    expect(second.json).toMatchObject({ action: 'running', built: false, containerId: (first.json as { containerId: string }).containerId })

    const pwd = await runCli(['exec', '--', 'sh', '-c', 'pwd && cat hello.txt && node --version'], { cwd: ws.dir, user: ws.user })
    expect(pwd.code, pwd.stderr).toBe(0)
    expect(pwd.stdout).toMatch(/^\/workspace\nfrom the host\nv20\./)
  })

  it('a file written inside the container belongs to the invoking non-root user on the host', async () => {
    const r = await runCli(['exec', '--', 'sh', '-c', 'echo made-inside > inside.txt && id -un && echo $HOME'], { cwd: ws.dir, user: ws.user })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^envctl\n\/home\/envctl/)
    expect(await ws.read('inside.txt')).toBe('made-inside\n')
    expect(ws.user.uid).not.toBe(0)
    expect(await ws.owner('inside.txt')).toEqual({ uid: ws.user.uid, gid: ws.user.gid })
  })

  it('exec passes the exit code through', async () => {
    const r = await runCli(['exec', '--', 'sh', '-c', 'exit 7'], { cwd: ws.dir, user: ws.user })
    expect(r.code).toBe(7)
  })

  it('a failing build leaves the previous image and the running container untouched', async () => {
    const before = (await containersOf(nodeEnv))[0]
    expect(before?.State).toBe('running')
    const good = readFileSync(ws.path('envctl.toml'), 'utf8')
    const { writeFile } = await import('node:fs/promises')
    await writeFile(ws.path('envctl.toml'), nodeStack('[packages]\napt = ["envctl-no-such-package"]\n'))
    const r = await runCli(['up'], { cwd: ws.dir, user: ws.user })
    expect(r.code).toBe(12)
    expect(r.stderr).toMatch(/build failed at step .*apt-get/)
    expect(r.stderr).toMatch(/envctl-no-such-package/)
    noStackTrace(r.stderr)
    const after = await containersOf(nodeEnv)
    expect(after).toHaveLength(1)
    expect(after[0].Id).toBe(before.Id)
    expect(after[0].State).toBe('running')
    expect(after[0].Image).toBe(before.Image)
    await writeFile(ws.path('envctl.toml'), good)
  })

  it('a GPU request on an engine without the NVIDIA runtime fails clearly, before building, leaving nothing', async () => {
    const other = await makeWorkspace({ 'envctl.toml': `extends = "node"\nname = "${nodeEnv}-gpu"\n[node]\nversion = "20"\n` })
    try {
      const r = await runCli(['up', '--gpus', 'all'], { cwd: other.dir, user: other.user })
      expect(r.code).toBe(13)
      expect(r.stderr).toMatch(/no NVIDIA runtime/)
      expect(r.stderr).toMatch(/nvidia-ctk runtime configure/)
      noStackTrace(r.stderr)
      expect(await containersOf(`${nodeEnv}-gpu`)).toHaveLength(0)
    } finally {
      await other.remove()
    }
  })

  it('a container of the same name that envctl did not make is a name conflict, and is left alone', async () => {
    const other = await makeWorkspace({ 'envctl.toml': `extends = "node"\nname = "${nodeEnv}-clash"\n[node]\nversion = "20"\n` })
    const first = await runCli(['up', '--json'], { cwd: other.dir, user: other.user })
    expect(first.code, first.stderr).toBe(0)
    const name = (first.json as { container: string }).container
    expect((await runCli(['down'], { cwd: other.dir, user: other.user })).code).toBe(0)
    const c = await docker.createContainer({ name, Image: 'debian:bookworm-slim', Cmd: ['true'] })
    try {
      const r = await runCli(['up'], { cwd: other.dir, user: other.user })
      expect(r.code).toBe(15)
      expect(r.stderr).toMatch(/not made by envctl/)
      expect((await c.inspect()).Name).toBe(`/${name}`)
    } finally {
      await c.remove({ force: true })
      await other.remove()
    }
  })

  it('a published port that is taken is a clear error, and no container is left', async () => {
    const { createServer } = await import('node:net')
    const server = createServer()
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const port = (server.address() as { port: number }).port
    const env = `${nodeEnv}-port`
    const other = await makeWorkspace({ 'envctl.toml': `extends = "node"\nname = "${env}"\n[node]\nversion = "20"\n[run]\nports = ["${port}:8080"]\n` })
    try {
      const r = await runCli(['up'], { cwd: other.dir, user: other.user })
      expect(r.code, r.stderr).toBe(14)
      expect(r.stderr).toMatch(new RegExp(String(port)))
      noStackTrace(r.stderr)
      expect(await containersOf(env)).toHaveLength(0)
    } finally {
      server.close()
      await removeEnv(env)
      await other.remove()
    }
  })

  it('an unreachable engine is a clear error', async () => {
    const r = await runCli(['up', '--docker-host', 'unix:///nonexistent/docker.sock'], { cwd: ws.dir, user: ws.user })
    expect(r.code).toBe(10)
    expect(r.stderr).toMatch(/nonexistent\/docker\.sock/)
    noStackTrace(r.stderr)
  })

  it('down removes the container and keeps the workspace and the cache volumes', async () => {
    const r = await runCli(['down', '--json'], { cwd: ws.dir, user: ws.user })
    expect(r.code, r.stderr).toBe(0)
    expect(await containersOf(nodeEnv)).toHaveLength(0)
    expect(await ws.read('inside.txt')).toBe('made-inside\n')
    const vols = await docker.listVolumes({ filters: JSON.stringify({ label: ['dev.envctl.cache=npm'] }) })
    expect(vols.Volumes?.map((v) => v.Name)).toContain('envctl-cache-npm')
  })

  it('the built-in pytorch stack (CPU build) builds from the local mirror and imports torch; a pin change rebuilds only later layers', async () => {
    const pt = await makeWorkspace({ 'envctl.toml': pytorchStack })
    type Steps = { buildSteps: Array<{ name: string; cached: boolean }> }
    const upWith = async (numpy: string) => {
      const { writeFile } = await import('node:fs/promises')
      await writeFile(pt.path('envctl.toml'), pytorchStack.replace('numpy==2.2.6', `numpy==${numpy}`))
      const r = await runCli(['up', '--name', ptEnv, '--json'], { cwd: pt.dir, user: pt.user })
      expect(r.code, r.stderr).toBe(0)
      return (r.json as Steps).buildSteps
    }
    try {
      const up = await runCli(['up', '--name', ptEnv, '--json'], { cwd: pt.dir, user: pt.user })
      expect(up.code, up.stderr).toBe(0)
      const torch = await runCli(['exec', ptEnv, '--', 'python', '-c', 'import torch, numpy; print(torch.__version__, numpy.__version__)'], { cwd: pt.dir, user: pt.user })
      expect(torch.code, torch.stderr).toBe(0)
      expect(torch.stdout.trim()).toBe('2.13.0+cpu 2.2.6')

      // The first up recorded envctl.lock: from now on the framework layer installs exactly the locked set
      // (its first locked build installs it once), and a user pin change leaves that layer alone.
      const numpyIn = async () => (await runCli(['exec', ptEnv, '--', 'python', '-c', 'import numpy; print(numpy.__version__)'], { cwd: pt.dir, user: pt.user })).stdout.trim()
      await upWith('2.3.5')
      expect(await numpyIn()).toBe('2.3.5')
      const steps = await upWith('2.2.6')
      const trace = JSON.stringify(steps, null, 1)
      // "[stage-0 i/n] RUN …": the Dockerfile's own steps, by position.
      const STEP = /^\[(?:\S+ )?\s*(\d+)\/\d+\] /
      const position = (name: string) => Number(STEP.exec(name)?.[1] ?? NaN)
      const user = steps.find((s) => s.name.includes("'numpy==2.2.6'"))
      expect(user?.name, trace).toMatch(new RegExp(`${STEP.source}RUN `))
      const earlier = steps.filter((s) => position(s.name) > 1 && position(s.name) < position(user!.name))
      expect(earlier.map((s) => s.name).join('\n'), trace).toContain('pip-framework.txt')
      expect(earlier.filter((s) => !s.cached), trace).toEqual([])
      expect(await numpyIn()).toBe('2.2.6')
      expect(await containersOf(ptEnv)).toHaveLength(1)
    } finally {
      await pt.remove()
    }
  })
})
