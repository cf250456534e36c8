import type { CudaImageTag, Matrix } from '../matrix/types.js'
import type { ResolvedBase } from './types.js'
import { compareLoose, sameMinor } from './version-range.js'
import { caveatsFrom } from './frameworks/common.js'

/** A base image, the python it brings, and what the data does not confirm about it (said in the resolution). */
export type BaseChoice = { base: ResolvedBase; python: string; caveats: string[] } | { reason: string }

function osPython(matrix: Matrix, os: string): string | null {
  return matrix.baseImages.os.find((o) => o.id === os)?.python ?? null
}

/** cuDNN rule TensorFlow itself prints: same major, equal or higher minor. */
function cudnnSatisfies(have: string | null, need: string | null): boolean {
  if (!need) return true
  if (!have) return false
  const [hm, hn] = have.split('.').map(Number)
  const [nm, nn] = need.split('.').map(Number)
  return hm === nm && (hn ?? 0) >= (nn ?? 0)
}

function rankTag(a: CudaImageTag, b: CudaImageTag, matrix: Matrix): number {
  if (a.status !== b.status) return a.status === 'available' ? -1 : 1
  return compareLoose(osPython(matrix, b.os) ?? '0', osPython(matrix, a.os) ?? '0') || compareLoose(b.cuda, a.cuda)
}

/** Libraries a flavor lacks from those a framework needs in the image (cuda-images.json flavors). */
function missingLibraries(matrix: Matrix, flavor: CudaImageTag['flavor'], libraries: string[]): string[] {
  const has = matrix.cudaImages.flavors.find((f) => f.flavor === flavor)?.libraries ?? []
  return libraries.filter((l) => !has.includes(l))
}

/** An nvidia/cuda runtime image for this CUDA minor, with the cuDNN and libraries needed, whose OS python3 the frameworks accept. */
export function cudaBase(matrix: Matrix, cuda: string, cudnn: string | null, pythons: string[], libraries: string[] = []): BaseChoice {
  const missing = missingLibraries(matrix, 'runtime', libraries)
  if (missing.length) return { reason: `${matrix.cudaImages.repository} runtime images do not carry ${missing.join(', ')}` }
  const tags = matrix.cudaImages.tags.filter((t) => t.flavor === 'runtime' && sameMinor(t.cuda, cuda) && cudnnSatisfies(t.cudnn, cudnn))
  if (!tags.length) return { reason: `no ${matrix.cudaImages.repository} runtime image for CUDA ${cuda}${cudnn ? ` with cuDNN ${cudnn}` : ''}` }
  const fitting = tags.filter((t) => pythons.includes(osPython(matrix, t.os) ?? ''))
  if (!fitting.length) {
    const oses = [...new Set(tags.map((t) => `${t.os} (python ${osPython(matrix, t.os)})`))].join(', ')
    return { reason: `CUDA ${cuda} images exist for ${oses}, but the frameworks need python ${pythons.join('/')}` }
  }
  const tag = fitting.sort((a, b) => rankTag(a, b, matrix))[0]
  const base: ResolvedBase = { image: `${matrix.cudaImages.repository}:${tag.tag}`, os: tag.os, python: null }
  if (tag.status === 'deleted') base.deletedUpstream = true
  const os = matrix.baseImages.os.find((o) => o.id === tag.os)
  const caveats = [...caveatsFrom(base.image, tag.confidence, ['exists', 'status', 'cudnn', 'rebuildFrom']), ...caveatsFrom(`${tag.os} python3 ${os?.python}`, os?.confidence, ['python'])]
  return { base, python: osPython(matrix, tag.os)!, caveats }
}

/** The official python image for the newest of the allowed versions. */
export function pythonBase(matrix: Matrix, pythons: string[]): BaseChoice {
  const images = matrix.baseImages.python.filter((p) => pythons.includes(p.python))
  if (!images.length) return { reason: `no python image for python ${pythons.join('/') || '(none allowed)'}` }
  const img = images.sort((a, b) => compareLoose(b.python, a.python))[0]
  return { base: { image: img.image, os: img.os, python: img.python }, python: img.python, caveats: caveatsFrom(img.image, img.confidence, ['image', 'os']) }
}
