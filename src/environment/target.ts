import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ContainerSummary, Engine } from '../engine/engine.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { readStackFile } from '../stack/parse.js'
import { nameFromFolder, PROJECT_FILE } from '../stack/stack-ref.js'
import { isTransient } from './find.js'
import { LABEL } from './naming.js'

/** What a lifecycle command (exec, shell, logs, stop, down, url) was pointed at: a NAME, or the folder it runs in. */
export interface EnvTarget {
  /** NAME as typed: an environment name or a container name. */
  name?: string
  /** The folder's canonical real path. */
  workspace: string
  uid: number
  /** The name of the project in the folder (envctl.toml), when there is one. */
  projectName?: string
}

/** True when `dir` is a project folder (it holds envctl.toml). */
export function isProjectDir(dir: string): boolean {
  return existsSync(join(dir, PROJECT_FILE))
}

/** The project's own name in `dir`: `name` is never inherited, so the top file alone decides it (no git fetch). */
export function projectNameIn(dir: string): string | undefined {
  if (!isProjectDir(dir)) return undefined
  const file = join(dir, PROJECT_FILE)
  const { name } = readStackFile(file, PROJECT_FILE).table
  return typeof name === 'string' ? name : nameFromFolder(file)
}

function owner(c: ContainerSummary): string {
  const uid = c.labels[LABEL.uid]
  return uid === undefined ? 'an earlier envctl' : `uid ${uid}`
}

function ambiguous(what: string, found: ContainerSummary[]): EnvctlError {
  const lines = found.map((c) => ({ message: `${c.name}: ${c.labels[LABEL.project] ?? '?'} for ${c.labels[LABEL.workspace] ?? '?'} (${owner(c)})` }))
  return new EnvctlError('USAGE', `${what} matches ${found.length} environments`, { problems: lines, hint: 'name one by its container name (the first column of envctl ls --all)' })
}

/** Narrows to one: the user's own, then the folder's; more than one left is for the user to choose. */
function pick(found: ContainerSummary[], t: EnvTarget, what: string): ContainerSummary | null {
  if (found.length <= 1) return found[0] ?? null
  const own = found.filter((c) => c.labels[LABEL.uid] === undefined || c.labels[LABEL.uid] === String(t.uid))
  const here = own.filter((c) => c.labels[LABEL.workspace] === t.workspace)
  const named = here.filter((c) => t.projectName === undefined || c.labels[LABEL.project] === t.projectName)
  for (const set of [named, here, own]) if (set.length === 1) return set[0]!
  throw ambiguous(what, own.length ? own : found)
}

function matchesName(c: ContainerSummary, name: string): boolean {
  return c.labels[LABEL.project] === name || c.name === name || c.name === `envctl-${name}`
}

/** The environment a lifecycle command means, found by label, or null. */
export async function findTarget(engine: Engine, t: EnvTarget): Promise<ContainerSummary | null> {
  const all = (await engine.listContainers({ labels: { [LABEL.managed]: '1', [LABEL.project]: true }, all: true })).filter((c) => !isTransient(c))
  if (t.name !== undefined) {
    const exact = all.find((c) => c.name === t.name)
    return exact ?? pick(all.filter((c) => matchesName(c, t.name!)), t, `the name ${t.name}`)
  }
  const here = all.filter((c) => c.labels[LABEL.workspace] === t.workspace && (c.labels[LABEL.uid] ?? String(t.uid)) === String(t.uid))
  return pick(here, t, `the folder ${t.workspace}`)
}

/** Like findTarget, with a helpful error when there is none. */
export async function requireEnv(engine: Engine, t: EnvTarget): Promise<ContainerSummary> {
  const c = await findTarget(engine, t)
  if (c) return c
  if (t.name !== undefined) throw new EnvctlError('NOT_FOUND', `no environment named ${t.name}`, { hint: 'list them with `envctl ls --all`' })
  throw new EnvctlError('NOT_FOUND', `no environment of yours for ${t.workspace}`, { hint: 'start one here with `envctl up`, or name one: envctl ls --all lists them' })
}

/** The readable name of a found environment. */
export function envLabelName(c: ContainerSummary): string {
  return c.labels[LABEL.project] ?? c.name
}
