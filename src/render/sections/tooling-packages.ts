import type { Section } from '../instructions.js'
import { layerOf, pipInstallRun, pipMode } from '../python.js'

const COMMENT = {
  unlocked: '# Tooling (JupyterLab): own layer, reused when only user packages change',
  exact: '# Tooling (JupyterLab): own layer, exactly the set envctl.lock records',
  resolve: "# Tooling (JupyterLab): own layer, resolved again around envctl.lock's other versions",
}

/**
 * The tooling every Python environment gets (JupyterLab and its dependencies), between the framework wheels
 * and the stack's own packages: it changes with the compatibility data, not with a user pin. The framework
 * pins are passed again so that pip keeps them as installed (as in the user layer).
 */
export const toolingPackages: Section = (r) => {
  const tools = r.pip.filter((req) => layerOf(req) === 'tooling')
  if (tools.length === 0) return []
  const reqs = r.pip.filter((req) => layerOf(req) !== 'user')
  const run = pipInstallRun(r, 'tooling', reqs)
  if (run.length === 0) return []
  const mode = pipMode(r, 'tooling')
  const repeats = mode !== 'exact' && reqs.length > tools.length ? '; framework pins are repeated so that pip keeps them as installed' : ''
  return [`${COMMENT[mode]}${repeats}`, ...run]
}
