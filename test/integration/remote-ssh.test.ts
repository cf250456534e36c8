/**
 * A remote engine over ssh://: the side engine's test host (its own network namespace) with Debian's sshd
 * beside its dockerd (side-engine-ssh.ts). `up` builds there and `exec` runs there through ONE SSH
 * connection per command (counted in sshd's log), host keys are checked against known_hosts (hashed, as
 * HashKnownHosts writes them), ~/.ssh/config's aliases work, and the CI engine never sees any of it.
 */
import { execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chmod, chown, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Docker from 'dockerode'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runCli, startCli, type RunResult } from './support/cli.js'
import { testRunId } from './support/cleanup.js'
import { asUser, makeWorkspace, secondUser, type Workspace } from './support/fixtures.js'
import { describeSideEngine, SideEngine } from './support/side-engine.js'

const run = promisify(execFile)
const id = testRunId().replace(/[^a-z0-9]/g, '')
const env = `rsh-${id}`
const BASE = 'node:20-bookworm-slim'

describeSideEngine('a remote engine over ssh://', () => {
  let engine: SideEngine
  let ws: Workspace
  let remoteDir: string
  const homes: Workspace[] = []

  /** A HOME for the CLI's user with these files in ~/.ssh (the client key unless told otherwise). */
  const home = async (files: Record<string, string>, withKey = true): Promise<string> => {
    const key: Record<string, string> = withKey ? { '.ssh/id_ed25519': await readFile(engine.ssh!.clientKey, 'utf8') } : {}
    const h = await makeWorkspace({ ...key, ...files })
    homes.push(h)
    await chmod(h.path('.ssh'), 0o700)
    if (withKey) await chmod(h.path('.ssh/id_ed25519'), 0o600)
    return h.dir
  }
  const hashedKnownHosts = async (line: string): Promise<string> => {
    const dir = join(engine.dir, 'kh')
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'known_hosts'), line)
    await run('ssh-keygen', ['-H', '-f', join(dir, 'known_hosts')])
    return readFile(join(dir, 'known_hosts'), 'utf8')
  }
  const envctl = (args: string[], homeDir: string, extra: Record<string, string | undefined> = {}): Promise<RunResult> =>
    runCli(args, { cwd: ws.dir, user: ws.user, env: { HOME: homeDir, DOCKER_HOST: engine.ssh!.url, SSH_AUTH_SOCK: undefined, ...extra } })
  const ok = (r: RunResult) => {
    if (r.code !== 0) throw new Error(`envctl failed (${r.code}):\n${r.stdout}\n${r.stderr}\n--- sshd\n${engine.ssh!.logTail()}\n--- dockerd\n${engine.logTail(8)}`)
    return r
  }
  let trusted: string

  beforeAll(async () => {
    engine = await SideEngine.start({ remote: true, ssh: { user: asUser().name, noDockerUser: secondUser()?.name ?? 'envctl-ci2' } })
    await engine.loadImage(BASE)
    await chmod(engine.dir, 0o755)
    remoteDir = join(engine.dir, 'srv', 'project')
    await mkdir(remoteDir, { recursive: true, mode: 0o755 })
    await writeFile(join(remoteDir, 'where.txt'), 'on the engine host\n', { mode: 0o644 })
    ws = await makeWorkspace({ 'envctl.toml': `name = "${env}"\nworkspace = "remote:${remoteDir}"\n[node]\nversion = "20"\n` })
    trusted = await home({ '.ssh/known_hosts': await hashedKnownHosts(await engine.ssh!.knownHostsLine()) })
  }, 120_000)

  afterAll(async () => {
    await engine?.teardown()
    await ws?.remove()
    for (const h of homes) await h.remove()
  })

  it('an unknown host key is refused with its SHA256 fingerprint and how to accept it', async () => {
    const r = await envctl(['ls'], await home({}))
    const fp = (await run('ssh-keygen', ['-l', '-f', join(engine.ssh!.dir, 'host_ed25519.pub')])).stdout.split(/\s+/)[1]!
    expect(r.code).toBe(10)
    expect(r.stderr).toContain(`error[ENGINE_UNREACHABLE]: the SSH host key of ${asUser().name}@${engine.ssh!.spec.address}:2222 is not in ~/.ssh/known_hosts: ssh-ed25519 ${fp}`)
    expect(r.stderr).toContain(`ssh-keyscan -p 2222 -t ssh-ed25519 ${engine.ssh!.spec.address} >> ~/.ssh/known_hosts`)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('a changed host key is refused loudly, naming the known_hosts line', async () => {
    const other = join(engine.dir, 'other-host-key')
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', other])
    const pub = (await readFile(`${other}.pub`, 'utf8')).split(/\s+/).slice(0, 2).join(' ')
    const r = await envctl(['ls'], await home({ '.ssh/known_hosts': `# team hosts\n[${engine.ssh!.spec.address}]:2222 ${pub}\n` }))
    expect(r.code).toBe(10)
    expect(r.stderr).toContain('has CHANGED: ~/.ssh/known_hosts:2 lists another ssh-ed25519 key')
    expect(r.stderr).toContain(`ssh-keygen -R '[${engine.ssh!.spec.address}]:2222'`)
  })

  it('without a key the server accepts, says which keys were refused', async () => {
    const r = await envctl(['ls'], await home({ '.ssh/known_hosts': await engine.ssh!.knownHostsLine() }, false))
    expect(r.code).toBe(10)
    expect(r.stderr).toContain(`${asUser().name}@${engine.ssh!.spec.address}:2222 refused every key envctl offered (none: no SSH agent and no identity file)`)
  })

  it('SSH that works on a host without docker says so, with the check to run', async () => {
    const nobody = secondUser()?.name ?? 'envctl-ci2'
    const url = `ssh://${nobody}@${engine.ssh!.spec.address}:2222`
    const r = await envctl(['ls'], trusted, { DOCKER_HOST: url })
    expect(r.code, r.stderr).toBe(10)
    expect(r.stderr, r.stderr).toContain(`error[ENGINE_UNREACHABLE]: ${nobody}@${engine.ssh!.spec.address}:2222 answers SSH, but there is no docker command there`)
    expect(r.stderr, r.stderr).toContain(`check with: ssh -p 2222 ${nobody}@${engine.ssh!.spec.address} docker version`)
  })

  it('up builds on the remote engine and exec runs there, each command over one SSH connection', async () => {
    const before = await engine.ssh!.acceptedConnections()
    const up = ok(await envctl(['up', '--json'], trusted))
    const { containerId } = up.json as { containerId: string }
    expect((await engine.docker.getContainer(containerId).inspect()).State.Running).toBe(true)
    const afterUp = await engine.ssh!.acceptedConnections()
    expect(afterUp - before).toBe(1)
    const exec = ok(await envctl(['exec', '--', 'sh', '-c', 'cat /workspace/where.txt; node --version'], trusted))
    expect(exec.stdout).toMatch(/^on the engine host\nv20\./)
    expect((await engine.ssh!.acceptedConnections()) - afterUp).toBe(1)
  }, 240_000)

  it('an alias of ~/.ssh/config (HostName, Port, User, IdentityFile) reaches the same engine', async () => {
    const key = await readFile(engine.ssh!.clientKey, 'utf8')
    const config = `Host gpu-box\n  HostName ${engine.ssh!.spec.address}\n  Port 2222\n  User ${asUser().name}\n  IdentityFile ~/.ssh/team_key\n`
    const h = await home({ '.ssh/config': config, '.ssh/team_key': key, '.ssh/known_hosts': await engine.ssh!.knownHostsLine() }, false)
    await chmod(join(h, '.ssh/team_key'), 0o600)
    const r = ok(await envctl(['ls'], h, { DOCKER_HOST: 'ssh://gpu-box' }))
    expect(r.stderr).toContain('engine: ssh://gpu-box, chosen by env DOCKER_HOST')
    expect(r.stdout).toContain(env)
  })

  it('the SSH agent (SSH_AUTH_SOCK) is used when no identity file is there', async () => {
    const agentDir = await makeWorkspace()
    homes.push(agentDir)
    const sock = agentDir.path('agent.sock')
    const key = agentDir.path('key')
    await writeFile(key, await readFile(engine.ssh!.clientKey, 'utf8'), { mode: 0o600 })
    await chown(key, ws.user.uid, ws.user.gid)
    const asCiUser = ['--reuid', String(ws.user.uid), '--regid', String(ws.user.gid), '--init-groups', '--']
    const agent = spawn('setpriv', [...asCiUser, 'ssh-agent', '-D', '-a', sock], { stdio: 'ignore' })
    try {
      for (let i = 0; i < 100 && !existsSync(sock); i++) await new Promise((r) => setTimeout(r, 50))
      await run('setpriv', [...asCiUser, 'ssh-add', '-q', key], { env: { ...process.env, SSH_AUTH_SOCK: sock } })
      const h = await home({ '.ssh/known_hosts': await engine.ssh!.knownHostsLine() }, false)
      const r = ok(await envctl(['ls'], h, { SSH_AUTH_SOCK: sock }))
      expect(r.stdout).toContain(env)
      const without = await envctl(['ls'], h)
      expect(without.code).toBe(10)
    } finally {
      agent.kill()
    }
  })

  it('ProxyJump goes through the jump host: two connections (the hop, then the engine host through it), each key checked', async () => {
    const key = await readFile(engine.ssh!.clientKey, 'utf8')
    const a = engine.ssh!.spec.address
    const config = `Host behind\n  HostName ${a}\n  Port 2222\n  ProxyJump bastion\nHost bastion\n  HostName ${a}\n  Port 2222\nHost *\n  User ${asUser().name}\n  IdentityFile ~/.ssh/team_key\n`
    const h = await home({ '.ssh/config': config, '.ssh/team_key': key, '.ssh/known_hosts': await engine.ssh!.knownHostsLine() }, false)
    await chmod(join(h, '.ssh/team_key'), 0o600)
    const before = await engine.ssh!.acceptedConnections()
    const r = ok(await envctl(['ls'], h, { DOCKER_HOST: 'ssh://behind' }))
    expect(r.stdout).toContain(env)
    expect((await engine.ssh!.acceptedConnections()) - before).toBe(2)
  })

  it('published ports come to 127.0.0.1 here: up leaves a background tunnel that answers after it exits, forward keeps one in the foreground', async () => {
    const port = 20_000 + Math.floor(Math.random() * 20_000)
    const server = `require("http").createServer((q, s) => { const ok = q.url.includes("token=${id}"); s.writeHead(ok ? 200 : 403); s.end(ok ? "hello" : "no") }).listen(8000)`
    await writeFile(ws.path('envctl.toml'), `name = "${env}"\nworkspace = "remote:${remoteDir}"\n[node]\nversion = "20"\n[run]\nports = ["${port}:8000"]\ncommand = ["node", "-e", '${server}']\n`)
    const up = ok(await envctl(['up', '--json'], trusted))
    const { tunnel, notes } = up.json as { tunnel: { pid: number; mappings: Array<{ remote: number; local: number }> }; notes: string[] }
    expect(tunnel.mappings).toEqual([{ remote: port, local: expect.any(Number) }])
    expect(notes).toContainEqual(expect.stringMatching(new RegExp(`^tunnel: 127\\.0\\.0\\.1:${tunnel.mappings[0]!.local} → ${port} on ssh://`)))
    const local = `http://127.0.0.1:${tunnel.mappings[0]!.local}/`
    const answer = async (url: string) => {
      for (let i = 0; ; i++) {
        const res = await fetch(url).catch(() => null)
        if (res || i > 50) return res
        await new Promise((r) => setTimeout(r, 200))
      }
    }
    expect((await answer(`${local}?token=${id}`))?.status).toBe(200)
    expect((await answer(local))?.status).toBe(403)
    // A second forwarder for the same environment is refused while the first runs.
    const twice = await envctl(['forward'], trusted)
    expect(twice.code).toBe(3)
    expect(twice.stderr).toContain(`a tunnel for ${env} already runs (pid ${tunnel.pid})`)
    process.kill(tunnel.pid, 'SIGTERM')
    const alive = () => { try { process.kill(tunnel.pid, 0); return true } catch { return false } }
    for (let i = 0; i < 100 && alive(); i++) await new Promise((r) => setTimeout(r, 100))
    expect(alive()).toBe(false)
    const fg = startCli(['forward'], { cwd: ws.dir, user: ws.user, env: { HOME: trusted, DOCKER_HOST: engine.ssh!.url, SSH_AUTH_SOCK: undefined } })
    await fg.waitFor(/^forwarding .* until Ctrl-C: 127\.0\.0\.1:\d+ → \d+$/m, 30_000)
    expect((await fetch(`${local}?token=${id}`)).status).toBe(200)
    fg.kill('SIGINT')
    const done = await fg.result
    expect(done.code).toBe(0)
    expect(done.stderr).toContain('stopped (interrupted)')
    await expect(fetch(local)).rejects.toThrow()
    // The background forwarder stops with its environment: none is left behind by down.
    const again = (ok(await envctl(['up', '--json'], trusted)).json as { tunnel: { pid: number } }).tunnel
    ok(await envctl(['down'], trusted))
    const running = () => { try { process.kill(again.pid, 0); return true } catch { return false } }
    for (let i = 0; i < 150 && running(); i++) await new Promise((r) => setTimeout(r, 100))
    expect(running()).toBe(false)
  }, 240_000)

  it('forward on a tcp+TLS engine says that a tunnel needs ssh', async () => {
    const r = await envctl(['forward'], trusted, engine.remote!.env)
    expect(r.code).toBe(3)
    expect(r.stderr).toContain(`error[USAGE]: the engine at ${engine.remote!.tcpHost} is reached over TCP, and a tunnel needs ssh`)
  })

  it('never touches the local engine: no container or image of this test there', async () => {
    const local = new Docker()
    expect(await local.listContainers({ all: true, filters: { label: [`dev.envctl.project=${env}`] } })).toEqual([])
    expect((await local.listImages()).flatMap((i) => i.RepoTags ?? []).filter((t) => t.includes(env))).toEqual([])
  })
})
