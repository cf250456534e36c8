/**
 * A second Debian `docker-registry` on its own 127.0.0.1 port that REQUIRES a user and password (htpasswd,
 * bcrypt as distribution 2.x demands), for tests that prove credentials were sent. dockerd treats a
 * loopback registry as insecure-allowed by default, so plain http works. The bcrypt hash comes from
 * `htpasswd -B` (apache2-utils) when installed, else from python3's crypt (Debian bookworm's python3).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import Docker from 'dockerode'

export interface AuthRegistry {
  /** 127.0.0.1:PORT */
  readonly host: string
  readonly user: string
  readonly password: string
  /** Pushes the local image `source` as `<host>/<repo>:<tag>` with the credentials and drops the local tag; returns that ref. */
  push(source: string, repo: string, tag: string): Promise<string>
  stop(): Promise<void>
}

function bcrypt(password: string): string {
  const htpasswd = spawnSync('htpasswd', ['-nbBC', '10', 'u', password], { encoding: 'utf8' })
  if (htpasswd.status === 0) return htpasswd.stdout.trim().split(':')[1]!
  const py = spawnSync('python3', ['-W', 'ignore', '-c', 'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=1024)))', password], { encoding: 'utf8' })
  if (py.status !== 0 || !py.stdout.startsWith('$2')) throw new Error(`no bcrypt: install apache2-utils (htpasswd) or a python3 with crypt\n${py.stderr}`)
  return py.stdout.trim()
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function waitUp(host: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited (${child.exitCode}):\n${log()}`)
    const status = await fetch(`http://${host}/v2/`).then((r) => r.status, () => 0)
    if (status === 401) return
    await delay(100)
  }
  throw new Error(`docker-registry on ${host} did not answer 401 on /v2/:\n${log()}`)
}

async function follow(stream: NodeJS.ReadableStream, docker: Docker): Promise<void> {
  const events = await new Promise<Array<{ error?: string }>>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) => (err ? reject(err) : resolve(out))),
  )
  const failed = events.find((e) => e.error)
  if (failed) throw new Error(failed.error)
}

export async function startAuthRegistry(user: string, password: string, docker = new Docker()): Promise<AuthRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'envctl-auth-registry-'))
  const port = await freePort()
  const host = `127.0.0.1:${port}`
  writeFileSync(join(dir, 'htpasswd'), `${user}:${bcrypt(password)}\n`)
  writeFileSync(join(dir, 'config.yml'), [
    'version: 0.1',
    'log: {level: warn}',
    `storage: {filesystem: {rootdirectory: ${join(dir, 'data')}}, delete: {enabled: true}}`,
    `http: {addr: "${host}"}`,
    `auth: {htpasswd: {realm: envctl-test, path: ${join(dir, 'htpasswd')}}}`,
    '',
  ].join('\n'))
  let output = ''
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] })
  child.stdout!.on('data', (b: Buffer) => (output += b.toString()))
  child.stderr!.on('data', (b: Buffer) => (output += b.toString()))
  await waitUp(host, child, () => output)
  const authconfig = { username: user, password, serveraddress: host }
  return {
    host,
    user,
    password,
    async push(source, repo, tag) {
      const ref = `${host}/${repo}:${tag}`
      await docker.getImage(source).tag({ repo: `${host}/${repo}`, tag })
      await follow(await docker.getImage(ref).push({ authconfig }), docker)
      await docker.getImage(ref).remove()
      return ref
    },
    async stop() {
      child.kill('SIGTERM')
      await new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
