import type { Section } from '../instructions.js'
import { isFrameworkRequirement, pipInstallRun } from '../python.js'

/**
 * The stack's own pip packages and tooling. The framework pins are passed again: they are installed
 * already, so pip downloads nothing for them, but it now fails loudly when a user package needs another
 * torch, instead of silently replacing it with a second multi-GB copy from a different index.
 */
export const userPackages: Section = (r) => {
  const user = r.pip.filter((req) => !isFrameworkRequirement(req))
  if (user.length === 0) return []
  const repeatsFrameworks = user.length < r.pip.length
  return [
    repeatsFrameworks
      ? '# User packages (pip); framework pins are repeated so that pip keeps them as installed'
      : '# User packages (pip)',
    ...pipInstallRun(r, r.pip),
  ]
}
