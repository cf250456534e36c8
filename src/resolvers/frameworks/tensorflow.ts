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

/** A release whose package cannot be installed resolves to the data's replacement, saying so. */
function installable(row: TensorflowRelease, version: string, pkg: string): { version: string; notices: string[] } {
  const u = row.unavailable?.find((x) => x.version === version && x.package === pkg)
  return u ? { version: u.use, notices: [`${u.why}: resolved to ${pkg}==${u.use}`] } : { version, notices: [] }
}

function candidate(row: TensorflowRelease, wanted: string, gpu: boolean): Candidate {
  const packageName = gpu ? row.gpuPackage : row.cpuPackage
  const pkg = splitPackage(packageName)
  const { version, notices } = installable(row, wanted, packageName)
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
    caveats: [...notices, ...caveatsFrom(`tensorflow ${version}`, row.confidence, gpu ? ['python', 'cuda', 'cudnn', 'archs', 'ptx', 'gpuPackage'] : ['python', 'cpuPackage'])],
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
