/**
 * A fresh HOME, XDG folders and DOCKER_CONFIG per test file (and per user the CLI runs as), so that no test
 * reads or writes the developer's ~/.config/envctl, state, caches or `docker login` credentials.
 * Vitest loads every test file in a fresh module graph, so the folders here belong to one file.
 */
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** The variables a CLI child gets from isolatedEnv(); whatever the test process inherited is replaced. */
export const ISOLATED_VARS = ['HOME', 'XDG_CONFIG_HOME', 'XDG_STATE_HOME', 'XDG_CACHE_HOME', 'XDG_DATA_HOME', 'DOCKER_CONFIG'] as const

export type IsolatedEnv = Record<(typeof ISOLATED_VARS)[number], string>

export interface Owner {
  readonly name: string
  readonly uid: number
  readonly gid: number
}

let parent = tmpdir()
let base: string | undefined
const made = new Map<number, IsolatedEnv>()

/** Where this file's folders go: the run's folder from isolation-base.ts, so that the run removes them. */
export function setIsolationParent(dir: string): void {
  parent = dir
}

/**
 * The isolated folders of `owner` (default: this process's user) for this test file, made on first use:
 * `<run folder>/envctl-home-XXXX/<name>/{home,config,state,cache,data,docker}`, mode 0700, owned by `owner`
 * (chowned when this process is root and `owner` is someone else, e.g. envctl-ci in CI).
 */
export function isolatedEnv(owner?: Owner): IsolatedEnv {
  const uid = owner?.uid ?? process.getuid?.() ?? 0
  const known = made.get(uid)
  if (known) return known
  if (base === undefined) {
    base = mkdtempSync(join(parent, 'envctl-home-'))
    // Each user's folder is private; the parent only needs to let them reach it.
    chmodSync(base, 0o755)
  }
  const top = join(base, owner?.name ?? `uid-${uid}`)
  const dirs: IsolatedEnv = {
    HOME: join(top, 'home'),
    XDG_CONFIG_HOME: join(top, 'config'),
    XDG_STATE_HOME: join(top, 'state'),
    XDG_CACHE_HOME: join(top, 'cache'),
    XDG_DATA_HOME: join(top, 'data'),
    DOCKER_CONFIG: join(top, 'docker'),
  }
  mkdirSync(top, { mode: 0o700 })
  for (const dir of Object.values(dirs)) mkdirSync(dir, { mode: 0o700 })
  if (owner && process.getuid?.() === 0 && owner.uid !== 0) for (const dir of [top, ...Object.values(dirs)]) chownSync(dir, owner.uid, owner.gid)
  made.set(uid, dirs)
  return dirs
}

/** Removes every folder isolatedEnv() made for this test file. */
export function removeIsolatedEnvs(): void {
  if (base === undefined) return
  try {
    rmSync(base, { recursive: true, force: true })
  } catch (err) {
    console.warn(`left ${base} behind: ${(err as Error).message}`)
  }
  base = undefined
  made.clear()
}
