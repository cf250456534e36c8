/**
 * An extra dockerd beside the CI engine, for fault tests that stop, restart or starve an engine: its own
 * data root (optionally on a small loop-mounted ext4, for disk-full), exec root, pid file, short socket,
 * containerd namespace, cgroup parent and pre-created bridge. It lives in the host's network namespace so
 * that builds reach the local registry mirror and pip index and published ports answer on 127.0.0.1.
 *
 * Never `--bridge=none` here: at start-up dockerd deletes an interface called docker0 for that case, and
 * that one is the CI engine's (engine-recipe.md §1). Needs root; the CI engine is never touched.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, existsSync, openSync, readFileSync, readdirSync, rmdirSync, statSync } from 'node:fs'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { promisify } from 'node:util'
import Docker from 'dockerode'
import { describe, it } from 'vitest'
import { describeEngine, pingEngine } from './engine.js'

const run = promisify(execFile)
/** Short on purpose: unix socket paths must stay under 108 bytes, interface names under 16. */
const ROOT = '/var/tmp'
const PREFIX = 'esd-'
const CGROUP_V1 = '/sys/fs/cgroup'

/** Why this machine cannot run a side engine, or undefined when it can. */
function sideEngineUnavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'a side engine needs root (it starts dockerd and creates a bridge)'
  const path = (process.env.PATH ?? '').split(':')
  for (const tool of ['dockerd', 'ip', 'mkfs.ext4']) if (!path.some((dir) => existsSync(join(dir, tool)))) return `${tool} is not on PATH`
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
  private child: ChildProcess | null = null
  private exited: Promise<void> = Promise.resolve()
  private subnet = ''

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
    await sweepStale()
    const engine = new SideEngine(opts)
    try {
      await engine.prepare()
      await engine.launch()
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
    child.kill('SIGTERM')
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
    await writeFile(join(this.dir, 'daemon.json'), '{}\n')
    if (this.opts.dataRootMiB) await mountExt4(join(this.dir, 'data.img'), this.dataRoot, this.opts.dataRootMiB)
    this.subnet = await freeSubnet()
    await run('ip', ['link', 'add', 'name', this.bridge, 'type', 'bridge'])
    await run('ip', ['addr', 'add', `${this.subnet}.1/24`, 'dev', this.bridge])
    await run('ip', ['link', 'set', this.bridge, 'up'])
  }

  private args(): string[] {
    const ns = `${PREFIX}${this.id}`
    return [
      '--config-file', join(this.dir, 'daemon.json'),
      '--data-root', this.dataRoot,
      '--exec-root', join(this.dir, 'exec'),
      '--pidfile', join(this.dir, 'docker.pid'),
      '-H', this.dockerHost,
      '--group', 'docker',
      '--containerd-namespace', ns,
      '--containerd-plugins-namespace', `${ns}-plugins`,
      '--bridge', this.bridge,
      '--iptables=false', '--ip-masq=false', '--ip-forward=false',
      '--cgroup-parent', `/${this.cgroupParent}`,
      // Containers get this long to stop when dockerd does; PID 1 of an environment ignores SIGTERM.
      '--shutdown-timeout', '2',
      '--registry-mirror', 'http://127.0.0.1:5000',
    ]
  }

  private async launch(): Promise<void> {
    const log = openSync(join(this.dir, 'dockerd.log'), 'a')
    const child = spawn('dockerd', this.args(), { stdio: ['ignore', log, log] })
    closeSync(log)
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

async function mountExt4(image: string, target: string, mib: number): Promise<void> {
  await run('truncate', ['-s', `${mib}M`, image])
  await run('mkfs.ext4', ['-q', '-F', '-m', '0', image])
  await run('mount', ['-o', 'loop', image, target])
}

/** Lazily unmounts everything at or below `dir`, deepest first (the data root, dockerd's netns/default). */
async function unmountBelow(dir: string): Promise<void> {
  const { stdout } = await run('findmnt', ['-rn', '-o', 'TARGET'])
  const targets = stdout.split('\n').filter((t) => t === dir || t.startsWith(`${dir}/`))
  for (const t of targets.sort().reverse()) await run('umount', ['-l', t])
}

async function deleteLink(name: string): Promise<void> {
  if (existsSync(`/sys/class/net/${name}`)) await run('ip', ['link', 'delete', name])
}

/** rmdir of the cgroup parent in every v1 hierarchy (or the v2 tree), children first. */
function removeCgroups(name: string): void {
  const roots = existsSync(join(CGROUP_V1, 'cgroup.controllers')) ? [CGROUP_V1] : readdirSync(CGROUP_V1).map((c) => join(CGROUP_V1, c))
  for (const root of roots) removeTree(join(root, name))
}

function removeTree(dir: string): void {
  if (!existsSync(dir)) return
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeTree(join(dir, entry.name))
  rmdirSync(dir)
}

/** A /24 in 10.213.0.0/16 that no route on this host uses. */
async function freeSubnet(): Promise<string> {
  const { stdout } = await run('ip', ['-4', 'route', 'show'])
  for (let tries = 0; tries < 50; tries++) {
    const subnet = `10.213.${Math.floor(Math.random() * 256)}`
    if (!stdout.includes(`${subnet}.`)) return subnet
  }
  throw new Error('no free 10.213.x.0/24 for a side engine bridge')
}

/** A side engine's folder exists for a moment before its dockerd writes the pid file. */
const STALE_AFTER_MS = 10 * 60_000

/**
 * Side engines a killed test run left behind: no dockerd behind the pid file for a while, so their mounts,
 * bridge, cgroups and folder go too.
 */
async function sweepStale(): Promise<void> {
  for (const name of readdirSync(ROOT).filter((n) => n.startsWith(PREFIX))) {
    const dir = join(ROOT, name)
    if (alive(join(dir, 'docker.pid')) || Date.now() - statSync(dir).mtimeMs < STALE_AFTER_MS) continue
    await unmountBelow(dir).catch(() => undefined)
    await deleteLink(name).catch(() => undefined)
    try {
      removeCgroups(name)
    } catch {
      // Still populated (a container that outlived its engine): left for a later sweep.
    }
    await rm(dir, { recursive: true, force: true }).catch(() => undefined)
  }
}

function alive(pidFile: string): boolean {
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 0)
    return true
  } catch {
    return false
  }
}
