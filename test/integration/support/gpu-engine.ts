/**
 * A simulated NVIDIA host on the real engine (engine-recipe.md §9.2): a second dockerd beside the CI engine,
 * with a stand-in `nvidia-container-runtime-hook` on its PATH (so Debian's dockerd 20.10 registers its nvidia
 * device driver) and `{"runtimes": {"nvidia": {"path": "runc"}}}` in its config; plus a stand-in `nvidia-smi`
 * answering from the real H100 capture for envctl's host probe. Up to the driver, it is a GPU host.
 *
 * Isolated from the CI engine (§9.1, §1): its own data root, exec root, pid file, short socket path, containerd
 * namespace and cgroup parent, and its own pre-created bridge; never --bridge=none in the host network namespace,
 * which deletes docker0. Its socket is root:docker 0660, so the unprivileged test user reaches it. Needs root.
 * Pulls go through the local registry mirror, which the daemon reaches from the host namespace.
 */
import { execFile, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { closeSync, openSync } from 'node:fs'
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import Docker from 'dockerode'
import { repoRoot } from './cli.js'
import { pingEngine } from './engine-probe.js'
import { testMirrors } from './cleanup.js'

const run = promisify(execFile)
const STANDINS = join(repoRoot, 'test/integration/support/gpu-host')

export interface SimulatedHost {
  /** GPUs the stand-in nvidia-smi lists (copies of the captured H100; default 1). */
  gpus?: number
  /** MIG device UUIDs it lists under GPU 0 in `nvidia-smi -L`. */
  mig?: string[]
}

export interface GpuEngine {
  readonly dockerHost: string
  readonly docker: Docker
  /** Environment for runCli: this engine, and the stand-in nvidia-smi first on PATH. */
  env(host?: SimulatedHost): Record<string, string>
  /** Each prestart call of the stand-in hook: its arguments and the id of the container it ran for. */
  hookCalls(): Promise<Array<{ args: string; id: string }>>
  /** From now on the hook fails with this message on stderr, as the real one does with a broken driver; null heals it. */
  failHook(message: string | null): Promise<void>
  stop(): Promise<void>
}

/** The stand-in nvidia-smi alone, first on PATH, for running envctl against another engine (the CI engine). */
export function simulatedHostEnv(hostBin: string, host: SimulatedHost = {}): Record<string, string> {
  return {
    PATH: `${hostBin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    ENVCTL_FAKE_GPUS: String(host.gpus ?? 1),
    ENVCTL_FAKE_MIG: (host.mig ?? []).join(','),
  }
}

async function freeSubnet(): Promise<string> {
  const { stdout } = await run('ip', ['-4', '-o', 'addr'])
  for (;;) {
    const third = 1 + (randomBytes(1)[0] % 250)
    if (!stdout.includes(`10.215.${third}.`)) return `10.215.${third}`
  }
}

async function standIns(dir: string): Promise<{ hookBin: string; hostBin: string }> {
  const hookBin = join(dir, 'hook-bin')
  const hostBin = join(dir, 'host-bin')
  await mkdir(hookBin, { mode: 0o755 })
  await mkdir(hostBin, { mode: 0o755 })
  await copyFile(join(STANDINS, 'nvidia-container-runtime-hook'), join(hookBin, 'nvidia-container-runtime-hook'))
  await copyFile(join(STANDINS, 'nvidia-smi'), join(hostBin, 'nvidia-smi'))
  await copyFile(join(repoRoot, 'test/fixtures/gpu/h100-nvidia-smi.txt'), join(hostBin, 'h100-nvidia-smi.txt'))
  for (const f of ['hook-bin/nvidia-container-runtime-hook', 'host-bin/nvidia-smi']) await chmod(join(dir, f), 0o755)
  return { hookBin, hostBin }
}

async function waitFor(what: string, ms: number, ready: () => Promise<boolean>): Promise<void> {
  const until = Date.now() + ms
  while (!(await ready())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

export async function startGpuEngine(): Promise<GpuEngine> {
  if (process.getuid?.() !== 0) throw new Error('a simulated GPU engine needs root (it starts a dockerd)')
  const tag = randomBytes(3).toString('hex')
  // Short: unix socket paths stop at 108 bytes, and containerd's live under the exec root.
  const dir = await mkdtemp('/tmp/egpu-')
  await chmod(dir, 0o755)
  const { hookBin, hostBin } = await standIns(dir)
  await writeFile(join(dir, 'daemon.json'), JSON.stringify({ runtimes: { nvidia: { path: 'runc' } } }))
  const bridge = `egpu${tag}`
  const net = await freeSubnet()
  await run('ip', ['link', 'add', 'name', bridge, 'type', 'bridge'])
  const socket = join(dir, 'd.sock')
  const cgroup = `envctl-gpu-${tag}`
  let spawned = 0
  const stop = stopper(dir, bridge, cgroup, () => spawned)
  try {
    await run('ip', ['addr', 'add', `${net}.1/24`, 'dev', bridge])
    await run('ip', ['link', 'set', bridge, 'up'])
    const args = [
      '--config-file', join(dir, 'daemon.json'), '--data-root', join(dir, 'data'), '--exec-root', join(dir, 'x'), '--pidfile', join(dir, 'd.pid'),
      '-H', `unix://${socket}`, '--group', 'docker', `--bridge=${bridge}`, '--iptables=false', '--ip-masq=false', '--ip-forward=false',
      `--cgroup-parent=/${cgroup}`, '--containerd-namespace', cgroup, '--containerd-plugins-namespace', `${cgroup}-plugins`,
      '--registry-mirror', `http://${testMirrors().registry}`,
    ]
    const log = openSync(join(dir, 'dockerd.log'), 'a')
    const daemon = spawn('dockerd', args, { cwd: '/', detached: true, stdio: ['ignore', log, log], env: { ...process.env, PATH: `${hookBin}:${process.env.PATH}` } })
    daemon.unref()
    closeSync(log)
    spawned = daemon.pid ?? 0
    await waitFor(`dockerd on ${socket} (log: ${dir}/dockerd.log)`, 30_000, async () => (await pingEngine({ where: socket, socketPath: socket })) === undefined)
  } catch (err) {
    await stop()
    throw err
  }
  const docker = new Docker({ socketPath: socket })
  return {
    dockerHost: `unix://${socket}`,
    docker,
    env: (host) => ({ DOCKER_HOST: `unix://${socket}`, ...simulatedHostEnv(hostBin, host) }),
    hookCalls: async () => {
      const text = await readFile(join(dir, 'hook.log'), 'utf8').catch(() => '')
      return text.split('\n').filter(Boolean).map((line) => ({ args: line.slice(0, line.indexOf(' {')), id: JSON.parse(line.slice(line.indexOf(' {') + 1)).id as string }))
    },
    failHook: async (message) => (message === null ? rm(join(dir, 'hook-fail'), { force: true }) : writeFile(join(dir, 'hook-fail'), `${message}\n`)),
    stop,
  }
}

/** Stops the daemon (by its pid file, else the pid it was started as) and removes what it made: mounts, folders, the bridge, its cgroups. */
function stopper(dir: string, bridge: string, cgroup: string, spawned: () => number): () => Promise<void> {
  return async () => {
    const pid = Number(await readFile(join(dir, 'd.pid'), 'utf8').catch(() => '0')) || spawned()
    if (pid > 0 && alive(pid)) {
      process.kill(pid, 'SIGTERM')
      await waitFor(`dockerd ${pid} to exit`, 30_000, async () => !alive(pid)).catch(() => process.kill(pid, 'SIGKILL'))
    }
    await run('umount', [join(dir, 'x/netns/default')]).catch(() => {})
    await rm(dir, { recursive: true, force: true })
    await run('ip', ['link', 'del', bridge]).catch(() => {})
    // cgroup v1: one folder per controller; v2: one folder. BuildKit nests its own under it.
    for (const controller of ['', ...(await readdir('/sys/fs/cgroup').catch(() => [] as string[]))]) await removeCgroup(join('/sys/fs/cgroup', controller, cgroup))
  }
}

/** A cgroup folder and the ones under it, deepest first (rmdir is the only way to remove a cgroup). */
async function removeCgroup(path: string): Promise<void> {
  const children = await readdir(path, { withFileTypes: true }).catch(() => [])
  for (const c of children) if (c.isDirectory()) await removeCgroup(join(path, c.name))
  await rmdir(path).catch(() => {})
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
