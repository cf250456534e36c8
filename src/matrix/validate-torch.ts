import type { TorchMatrix, TorchRelease, TorchVariant } from './types.js'
import { MAJOR_MINOR, badEntries, duplicateProblems } from './validate-rules.js'

const FILE = 'pytorch.json'
const VARIANT_NAME = /^(cpu|cu\d{2,3})$/

/** "cu118" → "11.8", "cu92" → "9.2", "cpu" → null. */
export function cudaOfVariant(name: string): string | null {
  return name === 'cpu' ? null : `${name.slice(2, -1)}.${name.slice(-1)}`
}

function sourceProblems(where: string, v: TorchVariant): string[] {
  if (v.source.kind === 'pypi') return v.localTag === null ? [] : [`${where}: a PyPI-sourced variant cannot carry local tag ${v.localTag}`]
  return v.source.url ? [] : [`${where}: source ${v.source.kind} has no url`]
}

function variantProblems(torch: string, v: TorchVariant): string[] {
  const where = `${FILE}: torch ${torch} ${v.name}`
  if (!VARIANT_NAME.test(v.name)) return [`${where}: variant name is not "cpu" or "cuXY"`]
  const problems = [...badEntries(where, 'archs', v.archs, MAJOR_MINOR), ...badEntries(where, 'ptx', v.ptx, MAJOR_MINOR), ...badEntries(where, 'python', v.python, MAJOR_MINOR), ...sourceProblems(where, v)]
  if (v.cuda !== cudaOfVariant(v.name)) problems.push(`${where}: cuda ${v.cuda} does not match the variant name`)
  if (v.localTag !== null && v.localTag !== `+${v.name}`) problems.push(`${where}: local tag ${v.localTag} does not match the variant name`)
  const stray = (v.ptx ?? []).filter((a) => !(v.archs ?? []).includes(a))
  if (stray.length) problems.push(`${where}: ptx ${stray.join(', ')} not among its archs`)
  return problems
}

function releaseProblems(r: TorchRelease): string[] {
  const where = `${FILE}: torch ${r.torch}`
  if (!r.variants.length) return [`${where}: has no variants`]
  const names = r.variants.map((v) => v.name)
  const problems = [...badEntries(where, 'python', r.python, MAJOR_MINOR), ...duplicateProblems(FILE, `torch ${r.torch} variant`, names)]
  if (!r.python.length) problems.push(`${where}: lists no python versions`)
  if (r.pypiVariant && !names.includes(r.pypiVariant)) problems.push(`${where}: pypiVariant ${r.pypiVariant} is not one of its variants`)
  return [...problems, ...r.variants.flatMap((v) => variantProblems(r.torch, v))]
}

export function validateTorch(m: TorchMatrix): string[] {
  return [...duplicateProblems(FILE, 'torch', m.releases.map((r) => r.torch)), ...m.releases.flatMap(releaseProblems)]
}
