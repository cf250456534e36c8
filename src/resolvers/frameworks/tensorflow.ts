import type { Matrix, TensorflowRelease } from '../../matrix/types.js'
import { compareVersions, pinnedVersion } from '../pep440.js'
import { majorMinor } from '../version-range.js'
import { caveatsFrom, requirement, versionAllowed } from './common.js'
import type { Candidate, FrameworkRequest } from './types.js'

/** "tensorflow[and-cuda]" → name "tensorflow", extras ["and-cuda"]. */
function splitPackage(pkg: string): { name: string; extras: string[] } {
  const m = /^([^[]+)(?:\[(.*)\])?$/.exec(pkg)!
  return { name: m[1], extras: m[2] ? m[2].split(',') : [] }
}

/** The exact version for a row: the user's pin when it falls in this minor, else the tested release. */
function exactVersion(req: FrameworkRequest, row: TensorflowRelease): string {
  const pinned = req.pin ? pinnedVersion(req.pin) : null
  return pinned && majorMinor(pinned) === row.minor ? pinned : row.tested
}

function candidate(row: TensorflowRelease, version: string, gpu: boolean): Candidate {
  const pkg = splitPackage(gpu ? row.gpuPackage : row.cpuPackage)
  return {
    framework: 'tensorflow',
    version,
    variant: gpu && row.cuda ? `cu${row.cuda.replace('.', '')}` : 'cpu',
    cuda: gpu ? row.cuda : null,
    cudnn: gpu ? row.cudnn : null,
    python: row.python,
    archs: gpu ? row.archs : undefined,
    ptx: gpu ? row.ptx : undefined,
    needsSystemCuda: gpu && !row.pipBundlesCuda,
    requirements: [requirement(pkg.name, version, 'stack', pkg.extras)],
    indexUrls: [],
    findLinks: [],
    caveats: caveatsFrom(`tensorflow ${version}`, row.confidence, gpu ? ['python', 'cuda', 'cudnn', 'archs', 'ptx'] : ['python']),
  }
}

/**
 * GPU and CPU candidates per TensorFlow minor the request allows, newest first. A `tensorflow-gpu` pin still
 * allows the CPU build of the same version: on a CPU-only host that is what works (the caller says so).
 */
export function tensorflowCandidates(req: FrameworkRequest, matrix: Matrix): Candidate[] {
  const rows = [...matrix.tensorflow.releases].sort((a, b) => compareVersions(b.minor, a.minor))
  const wantsCpuPackage = req.pin?.name === 'tensorflow-cpu'
  return rows.flatMap((row) => {
    const version = exactVersion(req, row)
    if (!versionAllowed(req, version)) return []
    const out: Candidate[] = []
    if (row.cuda && !wantsCpuPackage) out.push(candidate(row, version, true))
    out.push(candidate(row, version, false))
    return out
  })
}
