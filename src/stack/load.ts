import { existsSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { EnvctlError, type Problem } from '../errors/envctl-error.js'
import { checkExtendsRef } from './formats/text.js'
import { locationIn, mergeLayers } from './merge.js'
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
}

interface Ctx {
  cwd: string
  dir: string
}

/** A base chain longer than this is almost certainly a mistake, and messages about it unreadable. */
export const MAX_EXTENDS_DEPTH = 8

/**
 * Loads a stack by built-in name, path to a .toml file, or directory holding envctl.toml: reads its
 * `extends` chain, validates every file (all problems at once), merges, and applies defaults.
 * Throws EnvctlError INVALID_STACK (exit 2) with located problems, or NOT_FOUND for an unknown ref.
 */
export function loadStack(ref: string, ctx: LoadContext): StackSpec {
  const c: Ctx = { cwd: ctx.cwd, dir: ctx.builtinDir ?? refs.defaultBuiltinDir() }
  const top = resolveTopRef(ref, c)
  return assemble(top, loadChain(top, c))
}

/** The stack of the project in `cwd` (its envctl.toml). */
export function loadProjectStack(cwd: string, opts: { builtinDir?: string } = {}): StackSpec {
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
    problems.push(...toProblems(validateStackTable(source.table), source.display, source.positions))
    ref = nextRef(source, chain, ctx, problems)
  }
  if (problems.length > 0) throw invalidStack(refs.displayPath(top.path, ctx.cwd), problems)
  return chain.reverse()
}

/** Reads one file; a syntax error becomes a problem so the files before it still report theirs. */
function readCollecting(ref: StackRef, ctx: Ctx, problems: Problem[]): StackSource | undefined {
  const display = refs.displayPath(ref.path, ctx.cwd)
  try {
    return readStackFile(ref.path, display)
  } catch (err) {
    if (!(err instanceof EnvctlError)) throw err
    problems.push(...(err.problems.length > 0 ? err.problems : [{ message: err.message, location: { file: display } }]))
    return undefined
  }
}

function nextRef(source: StackSource, chain: StackSource[], ctx: Ctx, problems: Problem[]): StackRef | undefined {
  const value = source.table.extends
  if (typeof value !== 'string' || checkExtendsRef(value)) return undefined
  const target = resolveExtends(value, source.path, ctx)
  const problem = 'message' in target ? target : chainProblem(target, chain, ctx)
  if (!problem) return target as StackRef
  problems.push({ ...problem, location: locationIn(source, ['extends']) })
  return undefined
}

function resolveExtends(value: string, from: string, ctx: Ctx): StackRef | Omit<Problem, 'location'> {
  if (refs.isPathLike(value)) {
    const path = refs.stackFileAt(resolve(dirname(from), value))
    if (existsSync(path)) return { kind: 'file', path }
    return { message: `extends "${value}": no stack file at ${refs.displayPath(path, ctx.cwd)}`, hint: 'paths are relative to the file that extends' }
  }
  const builtin = refs.builtinRef(value, ctx.dir)
  if (builtin) return builtin
  const { suggestion, hint } = refs.unknownBuiltinHint(value, ctx.dir)
  return { message: `extends "${value}": no such built-in stack${suggestion ? `; did you mean \`${suggestion}\`?` : ''}`, hint }
}

function chainProblem(target: StackRef, chain: StackSource[], ctx: Ctx): Omit<Problem, 'location'> | undefined {
  const names = [...chain.map((s) => s.display), refs.displayPath(target.path, ctx.cwd)].join(' → ')
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

function assemble(top: StackRef, chain: StackSource[]): StackSpec {
  const merged = mergeLayers(chain)
  const file = chain[chain.length - 1]
  const { name, extends: parent } = file.table as { name?: string; extends?: string }
  if (name !== undefined) merged.provenance.name = locationIn(file, ['name'])
  return toStackSpec(merged.table, {
    name: name ?? (top.kind === 'builtin' ? top.name : refs.nameFromFolder(top.path)),
    origin: top.kind === 'builtin' ? top.name : file.display,
    chain: chain.map((s) => s.path),
    ...(top.kind === 'file' ? { dir: dirname(top.path) } : {}),
    ...(parent === undefined ? {} : { extends: parent }),
  }, merged.provenance)
}
