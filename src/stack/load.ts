import { existsSync } from 'node:fs'
import { dirname, isAbsolute, join, relative, resolve } from 'node:path'
import type { UserConfig } from '../config/user-config.js'
import { EnvctlError, formatLocation, type Problem } from '../errors/envctl-error.js'
import { withAbsolutePaths } from './file-paths.js'
import { checkExtendsRef } from './formats/text.js'
import { fetchGitSource, type GitContext } from './git-cache.js'
import { gitDisplay, isGitRef, parseGitSource } from './git-source.js'
import { locationIn, mergeLayers } from './merge.js'
import { layerKey, nearestWins } from './nearest-wins.js'
import { readStackFile, type StackSource } from './parse.js'
import * as refs from './stack-ref.js'
import type { StackRef } from './stack-ref.js'
import { toStackSpec } from './to-spec.js'
import type { StackSpec } from './types.js'
import { toProblems, validateStackTable } from './validate.js'

export interface LoadContext {
  /** Relative refs and message paths are taken from here; never process.cwd(). */
  cwd: string
  /** Folder of the built-in stacks; defaults to the package's stacks/. */
  builtinDir?: string
  /** Personal settings, merged below every stack file: the project's files win over them. */
  userConfig?: UserConfig | null
  /** Needed to follow `extends = "git+…"`; without it such an extends is a problem. */
  git?: GitContext
  /** The user's home, for `~/` in network.ca_bundle. */
  home?: string
}

interface Ctx {
  cwd: string
  dir: string
  load: LoadContext
  /** Git source key → commit used, for envctl.lock. */
  sources: Record<string, string>
  /** Checked-out git sources, so that a relative extends inside one stays inside it and is named by it. */
  trees: Array<{ dir: string; key: string }>
}

/** A base chain longer than this is almost certainly a mistake, and messages about it unreadable. */
export const MAX_EXTENDS_DEPTH = 8

/**
 * Loads a stack by built-in name, path to a .toml file, or directory holding envctl.toml: reads its
 * `extends` chain, validates every file (all problems at once), merges, and applies defaults.
 * Throws EnvctlError INVALID_STACK (exit 2) with located problems, or NOT_FOUND for an unknown ref.
 */
export function loadStack(ref: string, ctx: LoadContext): StackSpec {
  const c: Ctx = { cwd: ctx.cwd, dir: ctx.builtinDir ?? refs.defaultBuiltinDir(), load: ctx, sources: {}, trees: [] }
  const top = resolveTopRef(ref, c)
  return assemble(top, loadChain(top, c), c)
}

/** The stack of the project in `cwd` (its envctl.toml). */
export function loadProjectStack(cwd: string, opts: Omit<LoadContext, 'cwd'> = {}): StackSpec {
  if (!existsSync(join(cwd, refs.PROJECT_FILE))) {
    throw new EnvctlError('NOT_FOUND', `no ${refs.PROJECT_FILE} in ${cwd}`, {
      hint: 'create one with: envctl init pytorch (see envctl stacks for the others)',
    })
  }
  return loadStack(join(cwd, refs.PROJECT_FILE), { cwd, ...opts })
}

function resolveTopRef(ref: string, ctx: Ctx): StackRef {
  const builtin = refs.isPathLike(ref) ? undefined : refs.builtinRef(ref, ctx.dir)
  if (builtin) return builtin
  const path = refs.stackFileAt(resolve(ctx.cwd, ref))
  if (existsSync(path)) return { kind: 'file', path }
  if (refs.isPathLike(ref)) {
    throw new EnvctlError('NOT_FOUND', `no stack file at ${refs.displayPath(path, ctx.cwd)}`, { hint: 'create one with: envctl init pytorch' })
  }
  const { suggestion, hint } = refs.unknownBuiltinHint(ref, ctx.dir)
  throw new EnvctlError('NOT_FOUND', `unknown stack \`${ref}\`${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`, { hint })
}

function loadChain(top: StackRef, ctx: Ctx): StackSource[] {
  const chain: StackSource[] = []
  const problems: Problem[] = []
  for (let ref: StackRef | undefined = top; ref; ) {
    const source = readCollecting(ref, ctx, problems)
    if (!source) break
    chain.push(source)
    problems.push(...toProblems(validateStackTable(source.table), source.display, source.positions, source.builtin))
    if (chain.length > 1 && source.table.engine !== undefined) problems.push(inheritedEngine(source, chain[0]!))
    ref = nextRef(source, chain, ctx, problems)
  }
  if (problems.length > 0) throw invalidStack(refName(top, ctx), problems)
  return chain.reverse()
}

/** [engine] chooses where the workspace goes: only the project's own file may say (docs/REMOTE.md). */
function inheritedEngine(source: StackSource, top: StackSource): Problem {
  return {
    message: '[engine] is read from the project\'s own stack file only, not from a file it extends',
    location: locationIn(source, ['engine']),
    hint: `move [engine] to ${top.display}, or into your user config`,
  }
}

/** The file a top-level ref names, or null for a built-in: where envctl.lock lives, read before loading. */
export function topStackFile(ref: string | undefined, ctx: LoadContext): string | null {
  return refs.topFileOf(ref, ctx.cwd, ctx.builtinDir ?? refs.defaultBuiltinDir())
}

/** How messages name a ref: a built-in by its name and package-relative file, never the installed absolute path. */
function refName(ref: StackRef, ctx: Ctx): string {
  if (ref.kind === 'builtin') return formatLocation({ file: refs.builtinDisplay(ref.name), builtin: ref.name })
  return ref.display ?? refs.displayPath(ref.path, ctx.cwd)
}

/** Reads one file; a syntax error becomes a problem so the files before it still report theirs. */
function readCollecting(ref: StackRef, ctx: Ctx, problems: Problem[]): StackSource | undefined {
  const display = ref.kind === 'builtin' ? refs.builtinDisplay(ref.name) : (ref.display ?? refs.displayPath(ref.path, ctx.cwd))
  try {
    return readStackFile(ref.path, display, ref.kind === 'builtin' ? ref.name : undefined)
  } catch (err) {
    if (!(err instanceof EnvctlError)) throw err
    problems.push(...(err.problems.length > 0 ? err.problems : [{ message: err.message, location: { file: display } }]))
    return undefined
  }
}

function nextRef(source: StackSource, chain: StackSource[], ctx: Ctx, problems: Problem[]): StackRef | undefined {
  const value = source.table.extends
  if (typeof value !== 'string' || checkExtendsRef(value)) return undefined
  const target = isGitRef(value) ? resolveGitExtends(value, source, ctx) : resolveExtends(value, source.path, ctx)
  const problem = 'message' in target ? target : chainProblem(target, chain, ctx)
  if (!problem) return target as StackRef
  problems.push({ ...problem, location: locationIn(source, ['extends']) })
  return undefined
}

const inside = (path: string, dir: string): boolean => {
  const rel = relative(dir, path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)
}

/** A git source: fetched (or taken from the cache at the commit envctl.lock pins) and read like a file. */
function resolveGitExtends(value: string, source: StackSource, ctx: Ctx): StackRef | Omit<Problem, 'location'> {
  const src = parseGitSource(value)
  if ('problem' in src) return { message: src.problem }
  const git = ctx.load.git
  if (!git) return { message: `extends "${value}": git sources cannot be followed here`, hint: 'run the command through the envctl CLI, which has a git cache' }
  let fetched: ReturnType<typeof fetchGitSource>
  try {
    fetched = fetchGitSource(src, git)
  } catch (err) {
    if (!(err instanceof EnvctlError)) throw err
    const location = locationIn(source, ['extends'])
    throw new EnvctlError(err.code, err.message, { hint: err.hint, problems: [{ message: 'extended here', location }], cause: err })
  }
  if ('problem' in fetched) return { message: fetched.problem, hint: fetched.hint }
  ctx.sources[src.key] = fetched.commit
  ctx.trees.push({ dir: fetched.treeDir, key: src.key })
  return { kind: 'file', path: fetched.file, display: gitDisplay(src.key, src.path) }
}

function resolveExtends(value: string, from: string, ctx: Ctx): StackRef | Omit<Problem, 'location'> {
  if (refs.isPathLike(value)) {
    const path = refs.stackFileAt(resolve(dirname(from), value))
    const tree = ctx.trees.find((t) => inside(from, t.dir))
    if (tree && !inside(path, tree.dir)) return { message: `extends "${value}" leaves the git source ${tree.key}`, hint: 'a file from a git source may only extend files of the same repository, or built-ins' }
    if (existsSync(path)) return tree ? { kind: 'file', path, display: gitDisplay(tree.key, relative(tree.dir, path)) } : { kind: 'file', path }
    return { message: `extends "${value}": no stack file at ${refs.displayPath(path, ctx.cwd)}`, hint: 'paths are relative to the file that extends' }
  }
  const builtin = refs.builtinRef(value, ctx.dir)
  if (builtin) return builtin
  const { suggestion, hint } = refs.unknownBuiltinHint(value, ctx.dir)
  return { message: `extends "${value}": no such built-in stack${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`, hint }
}

function chainProblem(target: StackRef, chain: StackSource[], ctx: Ctx): Omit<Problem, 'location'> | undefined {
  const names = [...chain.map((s) => formatLocation({ file: s.display, builtin: s.builtin })), refName(target, ctx)].join(' → ')
  if (chain.some((s) => resolve(s.path) === resolve(target.path))) return { message: `extends cycle: ${names}` }
  if (chain.length >= MAX_EXTENDS_DEPTH) return { message: `extends chain is longer than ${MAX_EXTENDS_DEPTH} files: ${names}` }
  return undefined
}

function invalidStack(display: string, problems: Problem[]): EnvctlError {
  const n = problems.length
  return new EnvctlError('INVALID_STACK', `stack ${display} has ${n} problem${n === 1 ? '' : 's'}`, {
    problems,
    hint: 'fix the problems above and run the command again; docs/STACK-FILE.md describes every key',
  })
}

function assemble(top: StackRef, chain: StackSource[], ctx: Ctx): StackSpec {
  const user = ctx.load.userConfig
  const files = chain.map((s) => ({ ...s, table: withAbsolutePaths(s.table, s.path, ctx.load.home) }))
  const layers = user ? [user.layer, ...files] : files
  const merged = mergeLayers(layers)
  const file = chain[chain.length - 1]
  const { name, extends: parent } = file.table as { name?: string; extends?: string }
  if (name !== undefined) merged.provenance.name = locationIn(file, ['name'])
  const spec = toStackSpec(merged.table, {
    name: name ?? (top.kind === 'builtin' ? top.name : refs.nameFromFolder(top.path)),
    origin: top.kind === 'builtin' ? top.name : file.display,
    chain: chain.map((s) => s.path),
    ...(top.kind === 'file' ? { dir: dirname(top.path) } : {}),
    ...(parent === undefined ? {} : { extends: parent }),
    ...(Object.keys(ctx.sources).length > 0 ? { sources: ctx.sources } : {}),
    ...(user ? { userConfig: user.path } : {}),
  }, merged.provenance)
  return nearestWins(spec, layers.map((l) => layerKey({ file: l.display, builtin: l.builtin })), merged.overridden)
}
