import type { Matrix, MxnetPackage } from '../../matrix/types.js'
import { compareVersions } from '../pep440.js'
import { caveatsFrom, requirement, versionAllowed } from './common.js'
import type { Candidate, FrameworkRequest } from './types.js'

/** Static-cuDNN wheels (<= 1.4) need only the CUDA runtime; from 1.8 the image must bring cuDNN and NCCL. */
function candidate(matrix: Matrix, pkg: MxnetPackage, version: string): Candidate {
  const gpu = pkg.cuda !== null
  const pythonConfidence = pkg.python ? {} : { python: matrix.mxnet.confidence?.python }
  return {
    framework: 'mxnet',
    version,
    variant: gpu ? `cu${pkg.cuda!.replace('.', '')}` : 'cpu',
    cuda: pkg.cuda,
    cudnn: gpu && pkg.staticCudnn === false ? pkg.cudnn ?? null : null,
    python: pkg.python ?? matrix.mxnet.python,
    needsSystemCuda: gpu,
    ...(gpu && pkg.systemLibraries?.length ? { systemLibraries: pkg.systemLibraries } : {}),
    requirements: [requirement(pkg.package, version, 'stack')],
    indexUrls: [],
    findLinks: [],
    caveats: caveatsFrom(`${pkg.package} ${version}`, { ...pythonConfidence, ...pkg.confidence } as MxnetPackage['confidence'], ['python', 'versions', ...(gpu ? ['cuda', 'staticCudnn', 'cudnn', 'systemLibraries'] : [])]),
  }
}

/**
 * The package name fixes the CUDA (mxnet-cu90 = CUDA 9.0), and the CPU package `mxnet` stays allowed so a
 * CPU-only host gets the CPU build of the same version; a plain range allows every package.
 */
export function mxnetCandidates(req: FrameworkRequest, matrix: Matrix): Candidate[] {
  const pinnedPkg = req.pin?.name.replace(/mkl$/, '')
  const pkgs = matrix.mxnet.packages.filter((p) => !pinnedPkg || p.package === pinnedPkg || p.package === 'mxnet')
  const out = pkgs.flatMap((p) => p.versions.filter((v) => versionAllowed(req, v)).map((v) => candidate(matrix, p, v)))
  return out.sort((a, b) => compareVersions(b.version, a.version))
}
