import type { MxnetMatrix, MxnetPackage, TensorflowMatrix, TensorflowRelease } from './types.js'
import { MAJOR_MINOR, badEntries, duplicateProblems } from './validate-rules.js'

function tensorflowRow(r: TensorflowRelease): string[] {
  const where = `tensorflow.json: ${r.minor}`
  const problems = [...badEntries(where, 'python', r.python, MAJOR_MINOR), ...badEntries(where, 'archs', r.archs, MAJOR_MINOR), ...badEntries(where, 'ptx', r.ptx, MAJOR_MINOR)]
  if (!r.tested.startsWith(`${r.minor}.`)) problems.push(`${where}: tested ${r.tested} is not a ${r.minor} release`)
  if (r.cuda !== null && !MAJOR_MINOR.test(r.cuda)) problems.push(`${where}: cuda "${r.cuda}" is not major.minor`)
  if (!r.python.length) problems.push(`${where}: lists no python versions`)
  for (const u of r.unavailable ?? []) {
    if (!u.version.startsWith(`${r.minor}.`) || !u.use.startsWith(`${r.minor}.`)) problems.push(`${where}: unavailable ${u.version} → ${u.use} is not within ${r.minor}`)
  }
  return problems
}

export function validateTensorflow(m: TensorflowMatrix): string[] {
  return [...duplicateProblems('tensorflow.json', 'minor', m.releases.map((r) => r.minor)), ...m.releases.flatMap(tensorflowRow)]
}

/** mxnet-cu90 must say CUDA 9.0; the plain mxnet package is the CPU build. */
function mxnetCudaMatches(pkg: string, cuda: string | null): boolean {
  const suffix = /^mxnet-cu(\d+)(\d)$/.exec(pkg)
  return suffix ? cuda === `${suffix[1]}.${suffix[2]}` : pkg === 'mxnet' && cuda === null
}

function mxnetPackage(p: MxnetPackage, libraries: Set<string>): string[] {
  const where = `mxnet.json: ${p.package}`
  const problems = badEntries(where, 'python', p.python, MAJOR_MINOR)
  if (!mxnetCudaMatches(p.package, p.cuda)) problems.push(`${where}: cuda ${p.cuda} does not match the package name`)
  if (p.cuda && p.staticCudnn === false && !p.cudnn) problems.push(`${where}: cuDNN is not static, so the record must say which cudnn the image needs`)
  for (const lib of p.systemLibraries ?? []) if (!libraries.has(lib)) problems.push(`${where}: system library ${lib} is in no cuda-images.json flavor`)
  return problems
}

/** A package may have several records (one per build era); a package and version appear once. */
export function validateMxnet(m: MxnetMatrix, libraries: Set<string>): string[] {
  const versions = m.packages.flatMap((p) => p.versions.map((v) => `${p.package} ${v}`))
  return [...duplicateProblems('mxnet.json', 'package version', versions), ...badEntries('mxnet.json', 'python', m.python, MAJOR_MINOR), ...m.packages.flatMap((p) => mxnetPackage(p, libraries))]
}
