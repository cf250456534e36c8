/** A thing envctl chose not to remove, and why, so the user can tell a decision from an accident. */
export interface Kept {
  name: string
  reason: string
}

export interface VolumePlan {
  remove: string[]
  kept: Kept[]
}

export const KEPT_BY_DEFAULT = 'cache shared by environments; --volumes removes it when no other environment uses it'

/**
 * Which cache volumes may go. Caches are shared by all of a user's environments, so one is removed only
 * when asked (`removeUnused`) and when no other envctl container, running or stopped, mounts it.
 * `users` maps a volume to the names of the other containers that mount it.
 */
export function planVolumeRemoval(candidates: readonly string[], users: ReadonlyMap<string, readonly string[]>, removeUnused: boolean): VolumePlan {
  const plan: VolumePlan = { remove: [], kept: [] }
  for (const name of [...new Set(candidates)].sort()) {
    const by = users.get(name) ?? []
    if (!removeUnused) plan.kept.push({ name, reason: KEPT_BY_DEFAULT })
    else if (by.length > 0) plan.kept.push({ name, reason: `in use by ${[...by].sort().join(', ')}` })
    else plan.remove.push(name)
  }
  return plan
}
