import type { Section } from '../instructions.js'
import { isFrameworkRequirement, pipInstallRun } from '../python.js'

/** The heavy wheels (torch, tensorflow, …) and their companions, below the user's packages. */
export const frameworkPackages: Section = (r) => {
  const reqs = r.pip.filter(isFrameworkRequirement)
  if (reqs.length === 0) return []
  return ['# Framework packages: own layer, reused when only user packages change', ...pipInstallRun(r, reqs)]
}
