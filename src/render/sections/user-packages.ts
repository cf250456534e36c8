import type { Section } from '../instructions.js'
import { layerOf, pipInstallRun, pipMode } from '../python.js'

/**
 * The stack's own pip packages. The framework and tooling requirements are passed again: they are installed
 * already, so pip downloads nothing for them, but it now fails loudly when a user package needs another
 * torch (or a JupyterLab dependency pip would have to move), instead of silently replacing it with a second
 * multi-GB copy from a different index. A layer
 * installed exactly as the lock says needs no such guard: it installs without resolving.
 */
export const userPackages: Section = (r) => {
  const user = r.pip.filter((req) => layerOf(req) === 'user')
  if (user.length === 0) return []
  const run = pipInstallRun(r, 'user', r.pip)
  if (run.length === 0) return []
  const mode = pipMode(r, 'user')
  if (mode === 'exact') return ['# User packages (pip), exactly the set envctl.lock records', ...run]
  const earlier = [...new Set(r.pip.map(layerOf).filter((l) => l !== 'user'))]
  const around = mode === 'resolve' ? " around envctl.lock's other versions" : ''
  const repeated = { 0: '', 1: earlier[0] === 'tooling' ? 'tooling requirements are' : 'framework pins are', 2: 'framework pins and tooling requirements are' }[earlier.length]
  return [
    repeated
      ? `# User packages (pip)${around}; ${repeated} repeated so that pip keeps them as installed`
      : `# User packages (pip)${around}`,
    ...run,
  ]
}
