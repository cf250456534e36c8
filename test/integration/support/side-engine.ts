/**
 * An extra dockerd beside the CI engine, for fault tests that stop, restart or starve an engine: its own
 * data root (optionally on a small loop-mounted ext4, for disk-full), exec root, pid file, short socket,
 * containerd namespace, cgroup parent and pre-created bridge. It lives in the host's network namespace so
 * that builds reach the local registry mirror and pip index and published ports answer on 127.0.0.1.
 *
 * Never `--bridge=none` here: at start-up dockerd deletes an interface called docker0 for that case, and
 * that one is the CI engine's (engine-recipe.md §1). Needs root; the CI engine is never touched. teardown()
 * in afterAll undoes everything even when a test failed; what a killed run left is swept at the next start.
 * Options add a daemon config, folders on dockerd's PATH and files of its own (gpu-engine.ts builds on that).
 *
 * `remote: true` makes a test host instead (engine-recipe.md §9.4): dockerd in its own network namespace
 * (unshare --net), reached from here over a veth pair on tcp://10.214.x.2:2376 with TLS certificates made by
 * openssl, as a remote engine is. It cannot reach this machine's 127.0.0.1 (mirror, pip index): load images
 * over its socket (loadImage). Its socket stays on this file system, for loading images and for teardown.
 * `ssh` adds an SSH server in that namespace (side-engine-ssh.ts), for ssh:// engines.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { promisify } from 'node:util'
import Docker from 'dockerode'
import { describe, it } from 'vitest'
import { testMirrors } from './cleanup.js'
import { describeEngine, pingEngine } from './engine.js'
import { deleteLink, freeSubnet, freeVethSubnet, mountExt4, removeCgroups, sweepStale, unmountBelow } from './side-engine-host.js'
import { SshTestHost } from './side-engine-ssh.js'
import { makeCa, makeServerCert } from './tls-certs.js'

const run = promisify(execFile)
/** Short on purpose: unix socket paths must stay under 108 bytes, interface names under 16. */
const ROOT = '/var/tmp'
const PREFIX = 'esd-'

/** Why this machine cannot run a side engine, or undefined when it can. */
function sideEngineUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'a side engine needs root (it starts dockerd and creates a bridge)'
  const path = (process.env.PATH ?? '').split(':')
  for (const tool of ['dockerd', 'ip', 'mkfs.ext4', 'unshare', 'openssl']) if (!path.some((dir) => existsSync(join(dir, tool)))) return `${tool} is not on PATH`
  return undefined
}

/**
 * describeEngine for suites that start side engines: skipped with a visible reason where that is impossible
 * (not root, no dockerd), except under ENVCTL_REQUIRE_ENGINE=1 (CI), where that fails instead.
 */
export function describeSideEngine(name: string, fn: () => void): void {
  const reason = sideEngineUnavailable()
  if (!reason) return describeEngine(name, fn)
  if (process.env.ENVCTL_REQUIRE_ENGINE === '1') {
    describe(name, () => it('can start a side engine (ENVCTL_REQUIRE_ENGINE=1)', () => { throw new Error(`${reason}; run the integration tests as root, as .ci/run does`) }))
    return
  }
  console.warn(`fault tests skipped: ${reason}`)
  describe.skip(name, fn)
}

export interface SideEngineOptions {
  /** Put the data root on an ext4 file system of this many MiB (loop-mounted), so builds can fill it. */
  readonly dataRootMiB?: number
  /** dockerd's daemon.json (default `{}`). */
  readonly daemonConfig?: Record<string, unknown>
  /** Folders put first on dockerd's PATH, relative to the engine's folder (filled by `populate`). */
  readonly daemonPath?: readonly string[]
  /** Adds files to the engine's folder before dockerd first starts; they are removed with it. */
  readonly populate?: (dir: string) => Promise<void>
  /** A remote test host: own network namespace, tcp+TLS on a veth pair (see the file comment). */
  readonly remote?: boolean
  /** With remote: also an SSH server in that namespace that lets this user reach the engine (side-engine-ssh.ts). */
  readonly ssh?: { readonly user: string; readonly noDockerUser?: string }
}

/** How a remote-mode engine is reached: DOCKER_HOST, and DOCKER_CERT_PATH with ca.pem, cert.pem, key.pem. */
export interface RemoteEndpoint {
  readonly tcpHost: string
  readonly certDir: string
  /** DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH for the CLI. */
  readonly env: Record<string, string>
}

export class SideEngine {
  readonly id: string
  readonly dir: string
  readonly socket: string
  readonly dataRoot: string
  readonly bridge: string
  /** For DOCKER_HOST / --docker-host. */
  readonly dockerHost: string
  readonly docker: Docker
  /** Set in remote mode once prepared. */
  remote: RemoteEndpoint | null = null
  /** Set with the ssh option once started. */
  ssh: SshTestHost | null = null
  private subnet = ''
  private child: ChildProcess | null = null
  private exited: Promise<void> = Promise.resolve()

  private constructor(private readonly opts: SideEngineOptions) {
    this.id = randomBytes(3).toString('hex')
    this.dir = join(ROOT, `${PREFIX}${this.id}`)
    this.socket = join(this.dir, 'd.sock')
    this.dataRoot = join(this.dir, 'data')
    this.bridge = `${PREFIX}${this.id}`
    this.dockerHost = `unix://${this.socket}`
    this.docker = new Docker({ socketPath: this.socket })
  }

  /** Creates the folders, file system and bridge, and starts dockerd; tears down what it made if that fails. */
  static async start(opts: SideEngineOptions = {}): Promise<SideEngine> {
    const unavailable = sideEngineUnavailable()
    if (unavailable) throw new Error(unavailable)
    await sweepStale(ROOT, PREFIX)
    const engine = new SideEngine(opts)
    try {
      await engine.prepare()
      await engine.launch()
      if (opts.ssh) await engine.startSsh(opts.ssh.user, opts.ssh.noDockerUser)
    } catch (err) {
      await engine.teardown()
      throw err
    }
    return engine
  }

  get running(): boolean {
    return this.child !== null
  }

  /** SIGTERM, as a service manager would, and waits until dockerd has exited (its containers stop with it). */
  async stop(): Promise<void> {
    const child = this.child
    if (!child) return
    // In remote mode the child is unshare, which does not pass signals on: dockerd is told by its pid file.
    const dockerd = this.opts.remote ? Number(readFileSync(join(this.dir, 'docker.pid'), 'utf8').trim()) : undefined
    if (dockerd) process.kill(dockerd, 'SIGTERM')
    else child.kill('SIGTERM')
    const killed = await Promise.race([this.exited.then(() => false), delay(45_000).then(() => true)])
    if (killed) {
      child.kill('SIGKILL')
      await this.exited
    }
    this.child = null
  }

  async restart(): Promise<void> {
    await this.stop()
    await this.launch()
  }

  /** Everything start() made, in reverse: dockerd, mounts, loop device, bridge, cgroups, folders. Never throws. */
  async teardown(): Promise<void> {
    const step = async (what: string, fn: () => Promise<unknown>) => {
      try {
        await fn()
      } catch (err) {
        console.warn(`side engine ${this.id}: ${what}: ${(err as Error).message}`)
      }
    }
    await step('stop sshd', async () => this.ssh?.stop())
    await step('stop dockerd', () => this.stop())
    await step('unmount', () => unmountBelow(this.dir))
    await step('delete bridge', () => deleteLink(this.bridge))
    await step('remove cgroups', async () => removeCgroups(this.cgroupParent))
    await step('remove folder', () => rm(this.dir, { recursive: true, force: true }))
  }

  /** Last lines of dockerd's log, for failure messages. */
  logTail(lines = 30): string {
    try {
      return readFileSync(join(this.dir, 'dockerd.log'), 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
    } catch {
      return '(no log)'
    }
  }

  private get cgroupParent(): string {
    return `${PREFIX}${this.id}`
  }

  private async prepare(): Promise<void> {
    await mkdir(this.dataRoot, { recursive: true, mode: 0o711 })
    // Written first: a sweep by another test run leaves this engine alone while its owner lives.
    await writeFile(join(this.dir, 'owner.pid'), `${process.pid}\n`)
    await writeFile(join(this.dir, 'daemon.json'), `${JSON.stringify(this.opts.daemonConfig ?? {})}\n`)
    await this.opts.populate?.(this.dir)
    if (this.opts.dataRootMiB) await mountExt4(join(this.dir, 'data.img'), this.dataRoot, this.opts.dataRootMiB)
    if (this.opts.remote) return this.prepareRemote()
    const subnet = await freeSubnet()
    await run('ip', ['link', 'add', 'name', this.bridge, 'type', 'bridge'])
    await run('ip', ['addr', 'add', `${subnet}.1/24`, 'dev', this.bridge])
    await run('ip', ['link', 'set', this.bridge, 'up'])
  }

  private async prepareRemote(): Promise<void> {
    this.subnet = await freeVethSubnet()
    const certDir = join(this.dir, 'certs')
    await makeCa(certDir, `envctl-test-ca-${this.id}`)
    await makeServerCert(certDir, `${this.subnet}.2`)
    const tcpHost = `tcp://${this.subnet}.2:2376`
    this.remote = { tcpHost, certDir, env: { DOCKER_HOST: tcpHost, DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: certDir } }
  }

  /** The engine's end of the veth pair is made in the host namespace under this name, then moved. */
  private get peer(): string {
    return `esp-${this.id}`
  }

  private async startSsh(user: string, noDockerUser?: string): Promise<void> {
    const nsPid = Number(readFileSync(join(this.dir, 'ns.pid'), 'utf8').trim())
    this.ssh = await SshTestHost.start({ dir: this.dir, address: `${this.subnet}.2`, nsPid, dockerSocket: this.socket, user, ...(noDockerUser ? { noDockerUser } : {}) })
  }

  /** Copies an image from the CI engine into this one over its socket (a remote engine cannot pull from 127.0.0.1). */
  async loadImage(ref: string): Promise<void> {
    await run('sh', ['-c', `docker save "$0" | docker -H ${this.dockerHost} load -q`, ref], { maxBuffer: 1 << 20 })
    if (!(await this.docker.getImage(ref).inspect().then(() => true, () => false))) throw new Error(`${ref} did not load into side engine ${this.id}`)
  }

  private args(): string[] {
    const ns = `${PREFIX}${this.id}`
    const certs = this.remote?.certDir ?? ''
    const network = this.remote
      ? ['-H', this.remote.tcpHost, '--tlsverify', '--tlscacert', join(certs, 'ca.pem'), '--tlscert', join(certs, 'server-cert.pem'), '--tlskey', join(certs, 'server-key.pem')]
      : ['--bridge', this.bridge, '--registry-mirror', `http://${testMirrors().registry}`]
    return [
      '--config-file', join(this.dir, 'daemon.json'),
      '--data-root', this.dataRoot,
      '--exec-root', join(this.dir, 'exec'),
      '--pidfile', join(this.dir, 'docker.pid'),
      '-H', this.dockerHost,
      '--group', 'docker',
      '--containerd-namespace', ns,
      '--containerd-plugins-namespace', `${ns}-plugins`,
      ...network,
      '--iptables=false', '--ip-masq=false', '--ip-forward=false',
      '--cgroup-parent', `/${this.cgroupParent}`,
      // Containers get this long to stop when dockerd does; PID 1 of an environment ignores SIGTERM.
      '--shutdown-timeout', '2',
    ]
  }

  /** Runs in the new namespace: says its pid, waits for its veth end, sets the address, becomes dockerd. */
  private inNamespace(): string {
    const nsPid = join(this.dir, 'ns.pid')
    return [
      `echo $$ > ${nsPid}`,
      `i=0; until ip link show ${this.peer} >/dev/null 2>&1; do i=$((i+1)); [ $i -gt 300 ] && exit 1; sleep 0.05; done`,
      'ip link set lo up',
      `ip addr add ${this.subnet}.2/30 dev ${this.peer}`,
      `ip link set ${this.peer} up`,
      'exec dockerd "$@"',
    ].join('; ')
  }

  /** The host's end (named like the engine, so teardown and the sweep delete it) and the engine's, moved in. */
  private async wireVeth(): Promise<void> {
    const nsPid = join(this.dir, 'ns.pid')
    for (let i = 0; i < 100 && !existsSync(nsPid); i++) await delay(50)
    const pid = readFileSync(nsPid, 'utf8').trim()
    await run('ip', ['link', 'add', this.bridge, 'type', 'veth', 'peer', 'name', this.peer])
    await run('ip', ['link', 'set', this.peer, 'netns', pid])
    await run('ip', ['addr', 'add', `${this.subnet}.1/30`, 'dev', this.bridge])
    await run('ip', ['link', 'set', this.bridge, 'up'])
  }

  private daemonEnv(): NodeJS.ProcessEnv {
    const extra = (this.opts.daemonPath ?? []).map((p) => join(this.dir, p))
    return { ...process.env, PATH: [...extra, process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin'].join(':') }
  }

  private async launch(): Promise<void> {
    const log = openSync(join(this.dir, 'dockerd.log'), 'a')
    const child = this.opts.remote
      ? spawn('unshare', ['--net', '--fork', 'sh', '-c', this.inNamespace(), 'sh', ...this.args()], { stdio: ['ignore', log, log], env: this.daemonEnv() })
      : spawn('dockerd', this.args(), { stdio: ['ignore', log, log], env: this.daemonEnv() })
    closeSync(log)
    if (this.opts.remote) await this.wireVeth()
    this.child = child
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()))
    void this.exited.then(() => {
      if (this.child === child) this.child = null
    })
    const started = Date.now()
    while ((await pingEngine({ where: this.dockerHost, socketPath: this.socket }, 1000)) !== undefined) {
      if (!this.child) throw new Error(`dockerd exited at start-up:\n${this.logTail()}`)
      if (Date.now() - started > 60_000) throw new Error(`dockerd did not answer /_ping within 60 s:\n${this.logTail()}`)
      await delay(100)
    }
  }
}
