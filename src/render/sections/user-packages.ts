import type { Section } from '../instructions.js'
import { isFrameworkRequirement, pipInstallRun, pipMode } from '../python.js'

/**
 * The stack's own pip packages and tooling. The framework pins are passed again: they are installed
 * already, so pip downloads nothing for them, but it now fails loudly when a user package needs another
 * torch, instead of silently replacing it with a second multi-GB copy from a different index. A layer
 * installed exactly as the lock says needs no such guard: it installs without resolving.
 */
export const userPackages: Section = (r) => {
  const user = r.pip.filter((req) => !isFrameworkRequirement(req))
  if (user.length === 0) return []
  const run = pipInstallRun(r, 'user', r.pip)
  if (run.length === 0) return []
  const mode = pipMode(r, 'user')
  if (mode === 'exact') return ['# User packages (pip), exactly the set envctl.lock records', ...run]
  const repeatsFrameworks = user.length < r.pip.length
  const around = mode === 'resolve' ? " around envctl.lock's other versions" : ''
  return [
    repeatsFrameworks
      ? `# User packages (pip)${around}; framework pins are repeated so that pip keeps them as installed`
      : `# User packages (pip)${around}`,
    ...run,
  ]
}
