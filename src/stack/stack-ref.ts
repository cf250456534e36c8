import { existsSync, readdirSync, statSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path'
import { didYouMean } from './suggest.js'
import { packagePath } from '../package-root.js'

/** Where a stack comes from: a built-in by name, or a file. */
export type StackRef = { kind: 'builtin'; name: string; path: string } | { kind: 'file'; path: string; display?: string }

export const PROJECT_FILE = 'envctl.toml'

/** Built-in stacks ship in the package's stacks/ folder, found relative to this module (src/ or dist/). */
export function defaultBuiltinDir(): string {
  return packagePath('stacks')
}

export function builtinNames(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).filter((f) => f.endsWith('.toml')).map((f) => f.slice(0, -'.toml'.length)).sort()
}

/** A ref is a path when it looks like one; otherwise it names a built-in. */
export function isPathLike(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || ref.startsWith('.') || ref.endsWith('.toml') || isAbsolute(ref)
}

/** A path to a stack file, or a directory holding envctl.toml. */
export function stackFileAt(path: string): string {
  return existsSync(path) && statSync(path).isDirectory() ? join(path, PROJECT_FILE) : path
}

/** The file a top-level ref names, or null for a built-in: ./envctl.toml without a ref. */
export function topFileOf(ref: string | undefined, cwd: string, builtinDir: string): string | null {
  if (ref === undefined) return join(cwd, PROJECT_FILE)
  if (!isPathLike(ref) && builtinRef(ref, builtinDir)) return null
  return stackFileAt(resolve(cwd, ref))
}

export function builtinRef(name: string, dir: string): StackRef | undefined {
  const path = join(dir, `${name}.toml`)
  return existsSync(path) ? { kind: 'builtin', name, path } : undefined
}

/** The file messages name a built-in by: relative to the package, the same on every machine. */
export function builtinDisplay(name: string): string {
  return `stacks/${name}.toml`
}

/** How messages name a file: relative to cwd when inside it, else absolute. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path
}

/** "did you mean `pytorch`?" plus the list of built-ins, for an unknown name. */
export function unknownBuiltinHint(name: string, dir: string): { suggestion?: string; hint: string } {
  const names = builtinNames(dir)
  return { suggestion: didYouMean(name, names), hint: `built-in stacks: ${names.join(', ')} (see: envctl stacks)` }
}

/** The default name of a stack file: its folder, made a valid name. */
export function nameFromFolder(file: string): string {
  const cleaned = basename(dirname(resolve(file)))
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 63)
    .replace(/[^a-z0-9]+$/, '')
  return cleaned || 'stack'
}
