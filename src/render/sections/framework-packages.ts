import type { Section } from '../instructions.js'
import { isFrameworkRequirement, pipInstallRun, pipMode } from '../python.js'

const COMMENT = {
  unlocked: '# Framework packages: own layer, reused when only user packages change',
  exact: '# Framework packages: own layer, exactly the set envctl.lock records',
  resolve: "# Framework packages: own layer, resolved again around envctl.lock's other versions",
}

/** The heavy wheels (torch, tensorflow, …) and their companions, below the user's packages. */
export const frameworkPackages: Section = (r) => {
  const reqs = r.pip.filter(isFrameworkRequirement)
  if (reqs.length === 0) return []
  const run = pipInstallRun(r, 'framework', reqs)
  return run.length ? [COMMENT[pipMode(r, 'framework')], ...run] : []
}
