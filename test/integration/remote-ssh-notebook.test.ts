/**
 * `up --notebook` on an ssh:// engine (the side engine's test host, side-engine-ssh.ts): the remote engine
 * builds a real JupyterLab image, and `up` prints a URL on 127.0.0.1 HERE that still answers after up has
 * exited (200 with the token, 403 without, the login redirect for the UI); `url` says the tunnel runs and
 * `down` stops it. The test host cannot reach this machine's 127.0.0.1, so a relay on this side of its veth
 * pair carries the local pip index, and the stack names that address as its pip mirror with
 * build_network = "host", as a user whose GPU box sits behind a package mirror would.
 */
import { chmod, mkdir, readFile } from 'node:fs/promises'
import { connect, createServer, type AddressInfo, type Server } from 'node:net'
import { join } from 'node:path'
import Docker from 'dockerode'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runCli, type RunResult } from './support/cli.js'
import { testMirrors, testRunId } from './support/cleanup.js'
import { asUser, makeWorkspace, type Workspace } from './support/fixtures.js'
import { describeSideEngine, SideEngine } from './support/side-engine.js'

const id = testRunId().replace(/[^a-z0-9]/g, '')
const env = `rshnb-${id}`
const BASE = 'python:3.11-slim-bookworm'

/** A TCP relay on `host` (any free port) to `target` on this machine's 127.0.0.1. */
function relay(host: string, target: number): Promise<Server> {
  const server = createServer((inbound) => {
    const outbound = connect(target, '127.0.0.1')
    const end = () => { inbound.destroy(); outbound.destroy() }
    inbound.on('error', end).pipe(outbound).on('error', end).pipe(inbound)
  })
  return new Promise((resolve, reject) => server.once('error', reject).listen(0, host, () => resolve(server)))
}

describeSideEngine('the notebook of an ssh:// engine, on 127.0.0.1 here', () => {
  let engine: SideEngine
  let ws: Workspace
  let home: Workspace
  let pipRelay: Server | undefined
  const envctl = (args: string[]): Promise<RunResult> =>
    runCli(args, { cwd: ws.dir, user: ws.user, timeoutMs: 200_000, env: { HOME: home.dir, DOCKER_HOST: engine.ssh!.url, SSH_AUTH_SOCK: undefined } })
  const ok = (r: RunResult) => {
    if (r.code !== 0) throw new Error(`envctl failed (${r.code}):\n${r.stdout}\n${r.stderr}\n--- sshd\n${engine.ssh!.logTail()}\n--- dockerd\n${engine.logTail(8)}`)
    return r
  }

  beforeAll(async () => {
    engine = await SideEngine.start({ remote: true, ssh: { user: asUser().name } })
    await engine.loadImage(BASE)
    // The host's end of the veth pair: the only address of this machine the test host can reach.
    const hostSide = engine.ssh!.spec.address.replace(/\.2$/, '.1')
    const pipPort = Number(new URL(testMirrors().pipIndex).port)
    pipRelay = await relay(hostSide, pipPort)
    const mirror = `http://${hostSide}:${(pipRelay.address() as AddressInfo).port}/simple`
    await chmod(engine.dir, 0o755)
    const remoteDir = join(engine.dir, 'srv', 'nb')
    await mkdir(remoteDir, { recursive: true, mode: 0o777 })
    await chmod(remoteDir, 0o777)
    const stack = `name = "${env}"\nworkspace = "remote:${remoteDir}"\n[python]\nversion = "3.11"\n[mirrors]\npip = "${mirror}"\n[network]\nbuild_network = "host"\n`
    ws = await makeWorkspace({ 'envctl.toml': stack })
    home = await makeWorkspace({ '.ssh/id_ed25519': await readFile(engine.ssh!.clientKey, 'utf8'), '.ssh/known_hosts': await engine.ssh!.knownHostsLine() })
    await chmod(home.path('.ssh'), 0o700)
    await chmod(home.path('.ssh/id_ed25519'), 0o600)
  }, 120_000)

  afterAll(async () => {
    await engine?.teardown()
    await new Promise((r) => (pipRelay ? pipRelay.close(r) : r(undefined)))
    await ws?.remove()
    await home?.remove()
  })

  it('up --notebook builds JupyterLab there and prints a local URL that answers after up exits; url says the tunnel runs; down stops it', async () => {
    const up = ok(await envctl(['up', '--notebook', '--json']).catch((err: Error) => { throw new Error(`${err.message}\n--- dockerd\n${engine.logTail(15)}`) }))
    const r = up.json as { image: string; notebook: { url: string; port: number }; tunnel: { pid: number; mappings: Array<{ remote: number; local: number }> } }
    expect((await engine.docker.getImage(r.image).inspect()).Config.Labels?.['dev.envctl.python']).toBe('3.11')
    const url = new URL(r.notebook.url)
    expect(url.hostname).toBe('127.0.0.1')
    expect(Number(url.port)).toBe(r.notebook.port)
    expect(r.tunnel.mappings.map((m) => m.local)).toContain(r.notebook.port)
    const token = url.searchParams.get('token')!
    expect(token).toMatch(/^[0-9a-f]{32,}$/)
    const local = `http://127.0.0.1:${r.notebook.port}`
    // up has exited: what answers here is the background forwarder, carrying JupyterLab's own answers.
    const status = await fetch(`${local}/api/status?token=${token}`)
    expect(status.status).toBe(200)
    expect(await status.json()).toHaveProperty('kernels')
    expect((await fetch(`${local}/api/status`)).status).toBe(403)
    expect((await fetch(`${local}/api/status?token=${'0'.repeat(token.length)}`)).status).toBe(403)
    const lab = await fetch(`${local}/lab`, { redirect: 'manual' })
    expect(lab.status).toBe(302)
    expect(lab.headers.get('location')).toMatch(/^\/login\?next=/)
    expect((await fetch(r.notebook.url)).status).toBe(200)

    const shown = ok(await envctl(['url']))
    expect(shown.stdout.trim()).toBe(r.notebook.url)
    expect(shown.stderr).toContain(`tunnel: running (pid ${r.tunnel.pid}), 127.0.0.1:${r.notebook.port} here`)

    ok(await envctl(['down']))
    const running = () => { try { process.kill(r.tunnel.pid, 0); return true } catch { return false } }
    for (let i = 0; i < 150 && running(); i++) await new Promise((res) => setTimeout(res, 100))
    expect(running()).toBe(false)
    await expect(fetch(`${local}/api/status?token=${token}`)).rejects.toThrow()
  }, 300_000)

  it('never touches the local engine: no container or image of this test there', async () => {
    const local = new Docker()
    expect(await local.listContainers({ all: true, filters: { label: [`dev.envctl.project=${env}`] } })).toEqual([])
    expect((await local.listImages()).flatMap((i) => i.RepoTags ?? []).filter((t) => t.includes(env))).toEqual([])
  })
})
