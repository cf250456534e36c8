// Its own module: `up` asks it on every run, and the no-op path must not load the lock recorder to ask.
import type { Plan } from './plan.js'

/** Why the lock needs no recording after this build, or false when it does. */
export function lockSkip(p: Plan, frozen?: boolean): string | false {
  if (!p.lockPath) return 'a built-in stack has no lock'
  if (frozen) return '--frozen: envctl.lock is only read'
  const v = p.lock?.variants[p.variant]
  if (p.lockStatus === 'used' && v?.installed && !v.installed.unpinned?.length) return 'envctl.lock is up to date'
  return false
}
