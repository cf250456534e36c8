// One envctl at a time per environment, across processes and users. A lock file per environment, created
// with O_EXCL in a folder every user can write to (sticky, like /tmp): it works before anything exists on
// the engine, and a holder that died is recognised exactly (its pid is gone on this host) and taken over.
import { hostname } from 'node:os'
import { join } from 'node:path'
import { chmod, mkdir, open, readFile, readdir, rm, stat } from 'node:fs/promises'
import { EnvctlError } from '../errors/envctl-error.js'
import { writeFileAtomic } from '../files/atomic-write.js'

export interface LockInfo {
  pid: number
  uid: number
  host: string
  /** What holds it: "up", "down", "prune". */
  command: string
  /** The environment's container name, for messages. */
  env: string
  /** The image an `up` is building or about to use: `prune` keeps it. */
  image?: string
  since: string
}

export interface HeldLock {
  readonly path: string
  /** Records what the holder is working with (the image tag it builds), for `prune` to see. */
  update(info: Partial<Pick<LockInfo, 'image'>>): Promise<void>
  release(): Promise<void>
}

export interface AcquireOptions {
  signal?: AbortSignal
  /** Told once, when another holder makes this one wait. */
  onWait?: (holder: LockInfo | null) => void
  pollMs?: number
}

export const PRUNE_LOCK = 'prune'

/** The lock file's name for an environment, from its identity key. */
export function envLockName(key: string): string {
  return `env-${key.slice(0, 32)}`
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function readInfo(path: string): Promise<LockInfo | null> {
  try {
    const info = JSON.parse(await readFile(path, 'utf8')) as LockInfo
    return typeof info.pid === 'number' ? info : null
  } catch {
    return null
  }
}

/** A holder that died on this host, or a file left empty by one that died while writing it. */
async function isStale(path: string, info: LockInfo | null): Promise<boolean> {
  if (info) return info.host === hostname() && !isAlive(info.pid)
  const s = await stat(path).catch(() => null)
  return s !== null && Date.now() - s.mtimeMs > 5000
}

async function ensureDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o1777 })
  // Whoever creates it first makes it shared (sticky, so nobody removes another user's live lock).
  await chmod(dir, 0o1777).catch(() => {})
}

async function tryCreate(path: string, info: LockInfo): Promise<boolean> {
  try {
    const fh = await open(path, 'wx', 0o644)
    try {
      await fh.writeFile(JSON.stringify(info))
    } finally {
      await fh.close()
    }
    return true
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false
    throw lockError(path, err)
  }
}

function lockError(path: string, err: unknown): EnvctlError {
  const code = (err as NodeJS.ErrnoException).code ?? String(err)
  return new EnvctlError('UNEXPECTED', `cannot use the lock file ${path}: ${code}`, { cause: err, hint: `check that ${path}'s folder is writable (mode 1777); remove a stale file there if its holder is gone` })
}

/** Takes a dead holder's lock over; a second taker serialises on the .steal file so it cannot remove a live one. */
async function steal(path: string, me: LockInfo): Promise<void> {
  const guard = `${path}.steal`
  if (!(await tryCreate(guard, me))) {
    if (await isStale(guard, await readInfo(guard))) await rm(guard, { force: true })
    return
  }
  try {
    const info = await readInfo(path)
    if (await isStale(path, info)) await rm(path, { force: true }).catch((err) => { throw lockError(path, err) })
  } finally {
    await rm(guard, { force: true })
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(interrupted())
    const t = setTimeout(() => { signal?.removeEventListener('abort', onAbort); resolve() }, ms)
    const onAbort = () => { clearTimeout(t); reject(interrupted()) }
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

function interrupted(): EnvctlError {
  return new EnvctlError('INTERRUPTED', 'interrupted while waiting for another envctl; nothing was changed')
}

export function lockPath(dir: string, name: string): string {
  return join(dir, `${name}.lock`)
}

/** Waits (as long as it takes, or until the signal aborts) for the lock, then holds it until release. */
export async function acquireLock(dir: string, name: string, what: Omit<LockInfo, 'pid' | 'host' | 'since'>, opts: AcquireOptions = {}): Promise<HeldLock> {
  await ensureDir(dir)
  const path = lockPath(dir, name)
  const me: LockInfo = { ...what, pid: process.pid, host: hostname(), since: new Date().toISOString() }
  let told = false
  while (!(await tryCreate(path, me))) {
    const holder = await readInfo(path)
    if (await isStale(path, holder)) {
      await steal(path, me)
      continue
    }
    if (!told) opts.onWait?.(holder)
    told = true
    await sleep(opts.pollMs ?? 100, opts.signal)
  }
  let info = me
  return {
    path,
    async update(extra) {
      info = { ...info, ...extra }
      await writeFileAtomic(path, JSON.stringify(info), 0o644)
    },
    async release() {
      const now = await readInfo(path)
      if (now?.pid === process.pid && now.host === me.host) await rm(path, { force: true })
    },
  }
}

/** Waits until nobody holds `name` (without taking it). */
export async function awaitFree(dir: string, name: string, opts: AcquireOptions = {}): Promise<void> {
  const path = lockPath(dir, name)
  let told = false
  for (;;) {
    const holder = await readInfo(path)
    const exists = holder !== null || (await stat(path).catch(() => null)) !== null
    if (!exists || (await isStale(path, holder))) return
    if (!told) opts.onWait?.(holder)
    told = true
    await sleep(opts.pollMs ?? 100, opts.signal)
  }
}

/** What live holders are working with: the images `prune` must keep. */
export async function liveLocks(dir: string): Promise<LockInfo[]> {
  const names = await readdir(dir).catch(() => [] as string[])
  const infos = await Promise.all(names.filter((n) => n.endsWith('.lock')).map((n) => readInfo(join(dir, n))))
  return infos.filter((i): i is LockInfo => i !== null && !(i.host === hostname() && !isAlive(i.pid)))
}
