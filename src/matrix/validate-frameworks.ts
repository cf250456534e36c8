import type { MxnetMatrix, TensorflowMatrix, TensorflowRelease } from './types.js'
import { MAJOR_MINOR, badEntries, duplicateProblems } from './validate-rules.js'

function tensorflowRow(r: TensorflowRelease): string[] {
  const where = `tensorflow.json: ${r.minor}`
  const problems = [...badEntries(where, 'python', r.python, MAJOR_MINOR), ...badEntries(where, 'archs', r.archs, MAJOR_MINOR), ...badEntries(where, 'ptx', r.ptx, MAJOR_MINOR)]
  if (!r.tested.startsWith(`${r.minor}.`)) problems.push(`${where}: tested ${r.tested} is not a ${r.minor} release`)
  if (r.cuda !== null && !MAJOR_MINOR.test(r.cuda)) problems.push(`${where}: cuda "${r.cuda}" is not major.minor`)
  if (!r.python.length) problems.push(`${where}: lists no python versions`)
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

export function validateMxnet(m: MxnetMatrix): string[] {
  const problems = [...duplicateProblems('mxnet.json', 'package', m.packages.map((p) => p.package)), ...badEntries('mxnet.json', 'python', m.python, MAJOR_MINOR)]
  for (const p of m.packages) {
    if (!mxnetCudaMatches(p.package, p.cuda)) problems.push(`mxnet.json: ${p.package}: cuda ${p.cuda} does not match the package name`)
    problems.push(...duplicateProblems('mxnet.json', `${p.package} version`, p.versions))
  }
  return problems
}
