// What the project in the current folder plans on this host, for doctor's driver ↔ CUDA check.
import { EnvctlError } from '../errors/envctl-error.js'
import type { EnvctlPaths } from '../config/paths.js'
import { hostFromProbe, readSystemFacts, type GpuProbe } from '../host/probe.js'
import { isProjectDir } from '../environment/target.js'
import { loadPlan, resolvePlan } from '../project/plan.js'
import type { PlannedBuild } from './types.js'

export async function readPlannedBuild(from: { cwd: string; paths: EnvctlPaths }, probe: GpuProbe): Promise<PlannedBuild | null | { error: EnvctlError }> {
  if (!isProjectDir(from.cwd)) return null
  try {
    const p = resolvePlan(loadPlan({ cwd: from.cwd, paths: from.paths }), { host: hostFromProbe(readSystemFacts(), probe) })
    const r = p.resolved
    return { stack: p.spec.name, gpu: r.gpu, cuda: r.cuda, frameworks: r.frameworks, driverCuda: probe.driverCuda }
  } catch (err) {
    if (err instanceof EnvctlError) return { error: err }
    throw err
  }
}
