import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import type { EnvctlPaths } from '../config/paths.js'
import { loadUserConfig, type UserConfig } from '../config/user-config.js'
import { parseLock } from '../lock/serialize.js'
import { LOCK_FILE, type LockFile } from '../lock/types.js'
import { SystemGitFetcher, type GitFetcher } from '../stack/git-fetcher.js'
import { loadProjectStack, loadStack, topStackFile, type LoadContext } from '../stack/load.js'
import { defaultBuiltinDir } from '../stack/stack-ref.js'
import type { StackSpec } from '../stack/types.js'

export interface StackInput {
  /** Built-in name, file or folder; absent: the project's envctl.toml in cwd. */
  ref?: string
  cwd: string
  /** The user config, git cache and home, worked out by the command; without them neither is used. */
  paths?: EnvctlPaths
  /** Runs git for `extends = "git+…"`; defaults to the system git. */
  git?: GitFetcher
  /** Read git sources at the commits envctl.lock pins (default true). */
  keepSources?: boolean
}

export interface LoadedStack {
  spec: StackSpec
  userConfig: UserConfig | null
  /** Git source → commit, as envctl.lock pinned them for this load. */
  pins: Record<string, string>
  /** Path of the project's lock file, or null when the stack is a built-in used directly. */
  lockPath: string | null
  lock: LockFile | null
}

function projectDir(spec: StackSpec): string | null {
  const top = spec.chain[spec.chain.length - 1]
  if (!top || top.startsWith(defaultBuiltinDir())) return null
  return dirname(top)
}

function readLock(path: string | null): LockFile | null {
  if (!path || !existsSync(path)) return null
  return parseLock(readFileSync(path, 'utf8'), path)
}

function loadContext(input: StackInput, userConfig: UserConfig | null, pins: Record<string, string>): LoadContext {
  const git = input.paths ? { cacheDir: input.paths.gitCache, fetcher: input.git ?? new SystemGitFetcher(), pins } : undefined
  return { cwd: input.cwd, userConfig, ...(git ? { git } : {}), ...(input.paths ? { home: input.paths.home } : {}) }
}

/**
 * The stack with the user config merged below it and git sources at the commits envctl.lock pins: the lock
 * is read first (beside the top file), since it decides which commit a moved branch is read at.
 */
export function loadPlanStack(input: StackInput): LoadedStack {
  const userConfig = input.paths ? loadUserConfig(input.paths.userConfig, input.paths.home) : null
  const top = topStackFile(input.ref, { cwd: input.cwd })
  const earlyPath = top ? join(dirname(top), LOCK_FILE) : null
  const early = readLock(earlyPath)
  const pins = (input.keepSources ?? true) ? { ...early?.sources } : {}
  const load = loadContext(input, userConfig, pins)
  const spec = input.ref ? loadStack(input.ref, load) : loadProjectStack(input.cwd, load)
  const dir = projectDir(spec)
  const lockPath = dir ? join(dir, LOCK_FILE) : null
  const lock = lockPath === earlyPath ? early : readLock(lockPath)
  return { spec, userConfig, pins, lockPath, lock }
}
