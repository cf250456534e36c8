import type { Matrix } from '../matrix/types.js'
import type { HostFacts } from '../host/types.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { archVerdict, driverVerdict } from '../resolvers/host-compat.js'
import type { Candidate } from '../resolvers/frameworks/types.js'
import type { LockedResolution } from './types.js'

/** The arch list of a locked torch build, looked up in the matrix (other frameworks carry none). */
function lockedArchs(r: LockedResolution, matrix: Matrix): Pick<Candidate, 'archs' | 'ptx'> | null {
  const version = r.frameworks.pytorch
  if (!version) return null
  const variant = matrix.torch.releases.find((x) => x.torch === version)?.variants.find((v) => v.name === r.variants.pytorch)
  return variant ? { archs: variant.archs, ptx: variant.ptx } : null
}

/**
 * A lock made elsewhere must still run here: re-check the driver and GPU architecture against the locked
 * CUDA build before anything is built. Returns warnings; throws when it cannot run.
 */
export function checkLockedOnHost(r: LockedResolution, matrix: Matrix, host: HostFacts): string[] {
  if (!r.gpu || !r.cuda) return []
  const verdicts = host.driver ? [driverVerdict(matrix.cuda, r.cuda, host.driver)] : []
  const archs = lockedArchs(r, matrix)
  if (archs) {
    const c = { framework: 'pytorch', version: r.frameworks.pytorch, variant: r.variants.pytorch, ...archs } as Candidate
    for (const g of host.gpus) verdicts.push(archVerdict(c, g.computeCapability))
  }
  const bad = verdicts.find((v) => !v.ok)
  if (bad) {
    throw new EnvctlError('HOST_INCOMPATIBLE', `the locked environment cannot run on this host: ${bad.reason}`, {
      hint: 'run `envctl lock --upgrade` on this host to re-resolve, or `envctl up --cpu` for the CPU build',
    })
  }
  return verdicts.map((v) => v.warning).filter((w): w is string => Boolean(w))
}
