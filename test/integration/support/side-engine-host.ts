/**
 * What a side engine (side-engine.ts) makes on the host besides its dockerd, and how each is undone: a
 * loop-mounted ext4 for a small data root, mounts, a bridge, cgroups; and the sweep of engines that a killed
 * test run left behind.
 */
import { execFile } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, rmdirSync, statSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { promisify } from 'node:util'

const run = promisify(execFile)
const CGROUP_V1 = '/sys/fs/cgroup'

export async function mountExt4(image: string, target: string, mib: number): Promise<void> {
  await run('truncate', ['-s', `${mib}M`, image])
  await run('mkfs.ext4', ['-q', '-F', '-m', '0', image])
  await run('mount', ['-o', 'loop', image, target])
}

/** Lazily unmounts everything at or below `dir`, deepest first (the data root, dockerd's netns/default). */
export async function unmountBelow(dir: string): Promise<void> {
  const { stdout } = await run('findmnt', ['-rn', '-o', 'TARGET'])
  const targets = stdout.split('\n').filter((t) => t === dir || t.startsWith(`${dir}/`))
  for (const t of targets.sort().reverse()) await run('umount', ['-l', t])
}

export async function deleteLink(name: string): Promise<void> {
  if (existsSync(`/sys/class/net/${name}`)) await run('ip', ['link', 'delete', name])
}

/** rmdir of the cgroup parent in every v1 hierarchy (or the v2 tree), children first. */
export function removeCgroups(name: string): void {
  const roots = existsSync(join(CGROUP_V1, 'cgroup.controllers')) ? [CGROUP_V1] : readdirSync(CGROUP_V1).map((c) => join(CGROUP_V1, c))
  for (const root of roots) removeTree(join(root, name))
}

function removeTree(dir: string): void {
  if (!existsSync(dir)) return
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeTree(join(dir, entry.name))
  rmdirSync(dir)
}

/** A /24 in 10.213.0.0/16 that no route on this host uses. */
export async function freeSubnet(): Promise<string> {
  const { stdout } = await run('ip', ['-4', 'route', 'show'])
  for (let tries = 0; tries < 50; tries++) {
    const subnet = `10.213.${Math.floor(Math.random() * 256)}`
    if (!stdout.includes(`${subnet}.`)) return subnet
  }
  throw new Error('no free 10.213.x.0/24 for a side engine bridge')
}

/** A 10.214.x.0/30 for a remote test engine's veth pair that no address or route on this host uses: returns "10.214.x". */
export async function freeVethSubnet(): Promise<string> {
  const { stdout: addrs } = await run('ip', ['-4', '-o', 'addr'])
  const { stdout: routes } = await run('ip', ['-4', 'route', 'show'])
  for (let tries = 0; tries < 50; tries++) {
    const subnet = `10.214.${Math.floor(Math.random() * 256)}`
    if (!addrs.includes(`${subnet}.`) && !routes.includes(`${subnet}.`)) return subnet
  }
  throw new Error('no free 10.214.x.0/30 for a remote test engine')
}

/**
 * Side engines a killed test run left behind (the process that started them is gone): their dockerd is
 * stopped, and their mounts, bridge, cgroups and folder removed. Engines of live test runs are left alone.
 */
export async function sweepStale(root: string, prefix: string): Promise<void> {
  for (const name of readdirSync(root).filter((n) => n.startsWith(prefix))) {
    const dir = join(root, name)
    if (alive(join(dir, 'owner.pid')) || justMade(dir)) continue
    await stopOrphan(join(dir, 'ssh', 'sshd.pid'))
    await stopOrphan(join(dir, 'docker.pid'))
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

/** A folder another run is creating this very moment (its owner.pid not written yet). */
function justMade(dir: string): boolean {
  return !existsSync(join(dir, 'owner.pid')) && Date.now() - statSync(dir).mtimeMs < 60_000
}

async function stopOrphan(pidFile: string): Promise<void> {
  const pid = pidIn(pidFile)
  if (pid === undefined || !alive(pidFile)) return
  process.kill(pid, 'SIGTERM')
  for (let i = 0; i < 300 && alive(pidFile); i++) await delay(100)
  if (alive(pidFile)) process.kill(pid, 'SIGKILL')
}

function pidIn(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').trim()) || undefined
  } catch {
    return undefined
  }
}

function alive(pidFile: string): boolean {
  const pid = pidIn(pidFile)
  if (pid === undefined) return false
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
