/**
 * `envctl up --notebook` against the real engine, through the built CLI run as an unprivileged user: the
 * server answers only with its token, runs the stack's torch in a kernel over the Jupyter protocol, saves
 * into the workspace as the user, is published on 127.0.0.1 only, keeps its token out of `docker inspect`
 * and the image, renders in a real browser, and survives stop/up. Bad input fails cleanly.
 * Uses the shared pytorch-cpu fixture stack, so the image comes from the build cache.
 */
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { connect, createServer, type Server } from 'node:net'
import { networkInterfaces, tmpdir } from 'node:os'
import { join } from 'node:path'
import Docker from 'dockerode'
import { chromium } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { repoRoot, runCli, type RunResult } from './support/cli.js'
import { removeByLabel, testRunId } from './support/cleanup.js'
import { describeEngine } from './support/engine.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'

const id = testRunId()
const env = `nb-${id}`
const fixture = join(repoRoot, 'test/fixtures/stacks/pytorch-cpu/envctl.toml')

interface NotebookJson {
  url: string
  port: number
  tokenFile: string
}

interface UpJson {
  name: string
  image: string
  containerId: string
  container: string
  notebook: NotebookJson | null
  notes: string[]
}

/** Holds 127.0.0.1:port open, as another program would. */
function occupy(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject)
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => resolve(server))
  })
}

const release = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()))

/** Two consecutive free ports, away from 8888 and the ephemeral range. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 10_000)
    const held = await Promise.all([occupy(port).catch(() => null), occupy(port + 1).catch(() => null)])
    await Promise.all(held.map((s) => s && release(s)))
    if (held.every(Boolean)) return port
  }
}

function tokenOf(url: string): string {
  return new URL(url).searchParams.get('token') ?? ''
}

async function api(port: number, token: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers: { Authorization: `token ${token}`, 'Content-Type': 'application/json', ...init.headers } })
}

interface Executed {
  stdout: string
  status: string
}

/** One execute_request on the kernel's shell channel; its stream output and reply come back on iopub and shell. */
function execute(port: number, token: string, kernelId: string, code: string): Promise<Executed> {
  const socket = new WebSocket(`ws://127.0.0.1:${port}/api/kernels/${kernelId}/channels?token=${token}`)
  const msgId = randomUUID()
  const header = { msg_id: msgId, msg_type: 'execute_request', username: 'envctl-test', session: randomUUID(), version: '5.3', date: new Date().toISOString() }
  const content = { code, silent: false, store_history: false, user_expressions: {}, allow_stdin: false, stop_on_error: true }
  return new Promise((resolve, reject) => {
    let stdout = ''
    let status = ''
    let idle = false
    const timer = setTimeout(() => (socket.close(), reject(new Error(`no execute_reply within 180 s; output so far: ${stdout}`))), 180_000)
    socket.on('error', (e) => (clearTimeout(timer), reject(e)))
    socket.on('open', () => socket.send(JSON.stringify({ header, parent_header: {}, metadata: {}, content, channel: 'shell', buffers: [] })))
    socket.on('message', (data) => {
      const msg = JSON.parse(String(data)) as { channel: string; msg_type: string; parent_header: { msg_id?: string }; content: Record<string, unknown> }
      if (msg.parent_header.msg_id !== msgId) return
      if (msg.channel === 'iopub' && msg.msg_type === 'stream') stdout += String(msg.content.text)
      if (msg.channel === 'iopub' && msg.msg_type === 'error') stdout += `${String(msg.content.ename)}: ${String(msg.content.evalue)}`
      if (msg.channel === 'iopub' && msg.msg_type === 'status' && msg.content.execution_state === 'idle') idle = true
      if (msg.channel === 'shell' && msg.msg_type === 'execute_reply') status = String(msg.content.status)
      if (status && idle) {
        clearTimeout(timer)
        socket.close()
        resolve({ stdout, status })
      }
    })
  })
}

/** How a TCP connection attempt ended: 'connected', or the error code (ECONNREFUSED). */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 5000 })
    socket.once('connect', () => (socket.destroy(), resolve('connected')))
    socket.once('timeout', () => (socket.destroy(), resolve('timeout')))
    socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message))
  })
}

function nonLoopbackAddress(): string {
  const all = Object.values(networkInterfaces()).flat()
  const v4 = all.find((a) => a && a.family === 'IPv4' && !a.internal)
  if (!v4) throw new Error('this host has no non-loopback IPv4 address to test against')
  return v4.address
}

describeEngine('notebook', () => {
  const docker = new Docker()
  let ws: Workspace
  let state: Workspace
  let first: UpJson
  let nb: NotebookJson
  let token: string
  let asked: number
  const images = new Set<string>()

  const envctl = (args: string[], cwd = ws.dir): Promise<RunResult> => runCli(args, { cwd, user: ws.user, env: { XDG_STATE_HOME: state.dir }, timeoutMs: 600_000 })
  const upJson = async (args: string[]): Promise<UpJson> => {
    const r = await envctl(args)
    if (r.code !== 0) throw new Error(`envctl ${args.join(' ')} failed (${r.code}):\n${r.stdout}\n${r.stderr}`)
    images.add((r.json as UpJson).image)
    return r.json as UpJson
  }

  beforeAll(async () => {
    ws = await makeWorkspace({ 'envctl.toml': await readFile(fixture, 'utf8') })
    state = await makeWorkspace()
    asked = await freePortPair()
    // The asked-for port is taken, as by another notebook: envctl must move to the next one and say so.
    const blocker = await occupy(asked)
    try {
      first = await upJson(['up', '--notebook', '--port', String(asked), '--name', env, '--json'])
    } finally {
      await release(blocker)
    }
    nb = first.notebook!
    token = tokenOf(nb.url)
  })

  afterAll(async () => {
    await removeByLabel(`dev.envctl.project=${env}`)
    for (const name of [`${env}-node`, `${env}-bad`]) await removeByLabel(`dev.envctl.project=${name}`)
    // Every tag of the stack's repository (envctl may tag before and after writing envctl.lock). Untags
    // only: the layers stay in the build cache for the other tests.
    const repos = [...new Set([...images].map((i) => i.replace(/:[^:/]+$/, '')))]
    const tags = (await docker.listImages({ filters: JSON.stringify({ reference: repos }) })).flatMap((i) => i.RepoTags ?? [])
    for (const tag of tags.filter((t) => repos.some((r) => t.startsWith(`${r}:`)))) await docker.getImage(tag).remove().catch(() => {})
    await Promise.all([ws?.remove(), state?.remove()])
  })

  it('moves off a taken port, says so, and prints the URL with a strong token kept in a 0600 file', async () => {
    expect(nb.port).toBe(asked + 1)
    expect(first.notes).toContain(`port ${asked} is taken: the notebook uses ${asked + 1} instead`)
    expect(nb.url).toBe(`http://127.0.0.1:${nb.port}/lab?token=${token}`)
    expect(token).toMatch(/^[0-9a-f]{64}$/)
    expect(nb.tokenFile).toBe(join(state.dir, 'envctl', 'notebooks', `${first.container}.token`))
    expect(await readFile(nb.tokenFile, 'utf8')).toBe(`${token}\n`)
    const s = await stat(nb.tokenFile)
    expect(s.mode & 0o777).toBe(0o600)
    expect(s.uid).toBe(ws.user.uid)
  })

  it('answers /api/status with the token, and 403 without it or with a wrong one', async () => {
    expect((await fetch(`http://127.0.0.1:${nb.port}/api/status?token=${token}`)).status).toBe(200)
    expect((await fetch(`http://127.0.0.1:${nb.port}/api/status`)).status).toBe(403)
    expect((await fetch(`http://127.0.0.1:${nb.port}/api/status?token=${'0'.repeat(64)}`)).status).toBe(403)
  })

  it("runs the stack's torch in a kernel over the Jupyter protocol", async () => {
    const res = await api(nb.port, token, '/api/kernels', { method: 'POST', body: JSON.stringify({ name: 'python3' }) })
    expect(res.status).toBe(201)
    const kernel = (await res.json()) as { id: string }
    try {
      const out = await execute(nb.port, token, kernel.id, 'import torch, os; print(torch.__version__); print(os.getuid())')
      expect(out.status).toBe('ok')
      expect(out.stdout).toBe(`2.13.0+cpu\n${ws.user.uid}\n`)
    } finally {
      await api(nb.port, token, `/api/kernels/${kernel.id}`, { method: 'DELETE' })
    }
  })

  it('saves a notebook into the workspace, owned by the invoking user', async () => {
    const content = { cells: [{ cell_type: 'code', source: 'import torch', metadata: {}, outputs: [], execution_count: null }], metadata: {}, nbformat: 4, nbformat_minor: 5 }
    const res = await api(nb.port, token, '/api/contents/probe.ipynb', { method: 'PUT', body: JSON.stringify({ type: 'notebook', format: 'json', content }) })
    expect(res.status).toBe(201)
    expect(JSON.parse(await ws.read('probe.ipynb'))).toMatchObject({ nbformat: 4, cells: [{ source: ['import torch'] }] })
    expect(await ws.owner('probe.ipynb')).toEqual({ uid: ws.user.uid, gid: ws.user.gid })
    expect(ws.user.uid).not.toBe(0)
  })

  it('is published on 127.0.0.1 only', async () => {
    const info = await docker.getContainer(first.containerId).inspect()
    expect(info.HostConfig.PortBindings['8888/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(nb.port) }])
    expect(info.NetworkSettings.Ports['8888/tcp']).toEqual([{ HostIp: '127.0.0.1', HostPort: String(nb.port) }])
    expect(await tryConnect('127.0.0.1', nb.port)).toBe('connected')
    expect(await tryConnect(nonLoopbackAddress(), nb.port)).toBe('ECONNREFUSED')
  })

  it('keeps the token out of docker inspect and the image', async () => {
    const info = await docker.getContainer(first.containerId).inspect()
    for (const part of [info.Config.Cmd, info.Config.Env, info.Config.Labels, info.Config.Entrypoint, info.Args, info.Path]) expect(JSON.stringify(part ?? null)).not.toContain(token)
    expect(JSON.stringify(info)).not.toContain(token)
    expect(info.Config.Labels['dev.envctl.notebook.port']).toBe(String(nb.port))
    expect(JSON.stringify(await docker.getImage(first.image).history())).not.toContain(token)
    expect(JSON.stringify(await docker.getImage(first.image).inspect())).not.toContain(token)
  })

  it('shows the URL again: url, ls (token hidden unless --show-token), and the server log in logs', async () => {
    const url = await envctl(['url', env, '--json'])
    expect(url.code).toBe(0)
    expect(url.json).toEqual({ name: env, url: nb.url, port: nb.port, containerId: first.containerId })
    const ls = (await envctl(['ls', '--all', '--json'])).json as Array<{ name: string; notebook: string | null }>
    expect(ls.find((e) => e.name === env)?.notebook).toBe(`http://127.0.0.1:${nb.port}/lab?token=***`)
    const shown = (await envctl(['ls', '--all', '--json', '--show-token'])).json as Array<{ name: string; notebook: string | null }>
    expect(shown.find((e) => e.name === env)?.notebook).toBe(nb.url)
    const table = await envctl(['ls', '--all'])
    expect(table.stdout).toContain(`notebook of ${env}: http://127.0.0.1:${nb.port}/lab?token=***`)
    expect(table.stdout).not.toContain(token)
    const logs = await envctl(['logs', env])
    expect(logs.code).toBe(0)
    expect(`${logs.stdout}${logs.stderr}`).toContain('Jupyter Server')
    expect(`${logs.stdout}${logs.stderr}`).not.toContain(token)
  })

  it('renders JupyterLab in a real browser from the printed URL', async () => {
    const profile = await mkdtemp(join(tmpdir(), 'envctl-chromium-'))
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
    })
    try {
      const page = context.pages()[0] ?? (await context.newPage())
      await page.goto(nb.url, { timeout: 60_000 })
      await page.locator('#jp-main-dock-panel').waitFor({ state: 'visible', timeout: 60_000 })
      await page.locator('.jp-Launcher').first().waitFor({ state: 'visible', timeout: 60_000 })
      await page.locator('.jp-DirListing-item[title*="probe.ipynb"], .jp-DirListing-itemText:has-text("probe.ipynb")').first().waitFor({ state: 'visible', timeout: 60_000 })
      await mkdir(join(repoRoot, 'test-artifacts'), { recursive: true })
      await page.screenshot({ path: join(repoRoot, 'test-artifacts/notebook.png') })
      expect(await page.title()).toMatch(/JupyterLab/)
    } finally {
      await context.close()
      await rm(profile, { recursive: true, force: true })
    }
  })

  it('comes back on the same port with the same token after stop and up', async () => {
    expect((await envctl(['stop', env])).code).toBe(0)
    expect((await fetch(`http://127.0.0.1:${nb.port}/api/status?token=${token}`).catch(() => null))?.status).not.toBe(200)
    const again = await upJson(['up', '--name', env, '--json'])
    expect(again.containerId).toBe(first.containerId)
    expect(again.notebook).toEqual(nb)
    expect((await fetch(`http://127.0.0.1:${nb.port}/api/status?token=${token}`)).status).toBe(200)
  })

  it('moves to the next free port, keeping the token, when its port was taken while stopped', async () => {
    expect((await envctl(['stop', env])).code).toBe(0)
    const blocker = await occupy(nb.port)
    let moved: UpJson
    try {
      moved = await upJson(['up', '--name', env, '--json'])
    } finally {
      await release(blocker)
    }
    expect(moved.notebook?.port).not.toBe(nb.port)
    expect(tokenOf(moved.notebook!.url)).toBe(token)
    expect(moved.notes.join('\n')).toMatch(new RegExp(`port ${nb.port} is taken[\\s\\S]*container recreated to move the notebook from port ${nb.port}`))
    expect((await fetch(`http://127.0.0.1:${moved.notebook!.port}/api/status?token=${token}`)).status).toBe(200)
  })

  describe('bad input fails cleanly: exit code, one message with a fix, no stack trace, nothing left', () => {
    const leftovers = async (name: string) => (await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`dev.envctl.project=${name}`] }) })).length

    it('refuses --notebook for a node stack (UNRESOLVABLE, exit 4)', async () => {
      const node = await makeWorkspace({ 'envctl.toml': `name = "${env}-node"\nextends = "node"\n\n[gpu]\nmode = "none"\n` })
      try {
        const r = await envctl(['up', '--notebook'], node.dir)
        expect(r.code).toBe(4)
        expect(r.stderr).toContain(`error[UNRESOLVABLE]: stack ${env}-node runs node, and there is no notebook for it: JupyterLab needs Python`)
        expect(r.stderr).toContain('fix: drop --notebook')
        expect(r.stderr).not.toMatch(/\n\s+at /)
        expect(await leftovers(`${env}-node`)).toBe(0)
        expect(existsSync(node.path('envctl.lock'))).toBe(false)
      } finally {
        await node.remove()
      }
    })

    it.each([
      ['abc', /Expected an integer but received: abc/],
      ['80', /--port 80 is below 1024, which only root may use/],
      ['70000', /--port 70000 is not a TCP port \(1-65535\)/],
    ])('refuses --port %s (USAGE, exit 3)', async (port, message) => {
      const r = await envctl(['up', '--notebook', `--port=${port}`, '--name', `${env}-bad`])
      expect(r.code).toBe(3)
      expect(r.stderr).toMatch(message)
      expect(r.stderr).toMatch(/fix: /)
      expect(r.stderr).not.toMatch(/\n\s+at /)
      expect(await leftovers(`${env}-bad`)).toBe(0)
    })
  })
})
