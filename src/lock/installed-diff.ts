import type { Change } from './diff.js'
import type { LockedVariant } from './types.js'

function tableChanges(kind: string, a: Record<string, string> = {}, b: Record<string, string> = {}): Change[] {
  const names = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()
  return names.filter((n) => a[n] !== b[n]).map((n) => ({ key: `${kind}.${n}`, from: a[n] ?? null, to: b[n] ?? null }))
}

/** What a build changed in the installed set and the base digest, one change per package. */
export function diffInstalled(prev: LockedVariant | undefined, next: LockedVariant): Change[] {
  const a = prev?.installed
  const b = next.installed
  const digest = prev?.baseDigest !== next.baseDigest ? [{ key: 'base.digest', from: prev?.baseDigest ?? null, to: next.baseDigest ?? null }] : []
  return [...digest, ...tableChanges('pip', a?.pip, b?.pip), ...tableChanges('apt', a?.apt, b?.apt), ...tableChanges('npm', a?.npm, b?.npm)]
}
