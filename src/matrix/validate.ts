import type { BaseImagesMatrix, LanguagesMatrix, Matrix, MatrixIndex } from './types.js'
import { validateCuda, validateCudaImages } from './validate-cuda.js'
import { validateDefaults } from './validate-defaults.js'
import { validateMxnet, validateTensorflow } from './validate-frameworks.js'
import { validateTorch } from './validate-torch.js'
import { validateSources } from './validate-sources.js'
import { MAJOR_MINOR, badConfidence, duplicateProblems } from './validate-rules.js'

function validateIndex(index: MatrixIndex): string[] {
  const problems = /^\d{4}\.\d{2}\.\d{2}$/.test(index.version) ? [] : [`index.json: version "${index.version}" is not YYYY.MM.DD`]
  return Object.keys(index.sources).length ? problems : [...problems, 'index.json: no sources listed']
}

function validateBaseImages(m: BaseImagesMatrix): string[] {
  const ids = new Set(m.os.map((o) => o.id))
  const problems = [...duplicateProblems('base-images.json', 'os', m.os.map((o) => o.id)), ...duplicateProblems('base-images.json', 'python', m.python.map((p) => p.python))]
  for (const o of m.os) if (!MAJOR_MINOR.test(o.python)) problems.push(`base-images.json: ${o.id}: python "${o.python}" is not major.minor`)
  for (const p of m.python) {
    if (!MAJOR_MINOR.test(p.python)) problems.push(`base-images.json: python "${p.python}" is not major.minor`)
    if (!ids.has(p.os)) problems.push(`base-images.json: ${p.image}: os ${p.os} is not listed under os`)
  }
  return problems
}

function validateLanguages(m: LanguagesMatrix): string[] {
  return [...duplicateProblems('languages.json', 'node', m.node.map((n) => String(n.major))), ...duplicateProblems('languages.json', 'java', m.java.map((j) => String(j.major)))]
}

/** Every problem in the data, one line each; [] when the matrix is consistent. */
export function validateMatrix(m: Matrix): string[] {
  const osIds = new Set(m.baseImages.os.map((o) => o.id))
  return [
    ...validateIndex(m.index),
    ...validateTorch(m.torch),
    ...validateTensorflow(m.tensorflow),
    ...validateMxnet(m.mxnet, new Set(m.cudaImages.flavors.flatMap((f) => f.libraries))),
    ...validateCuda(m.cuda),
    ...validateCudaImages(m.cudaImages, osIds),
    ...validateBaseImages(m.baseImages),
    ...validateLanguages(m.languages),
    ...validateSources(m),
    ...validateDefaults(m.defaults, osIds),
    ...Object.entries(m).flatMap(([part, value]) => badConfidence(part, value)),
  ]
}
