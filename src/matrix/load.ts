import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { EnvctlError } from '../errors/envctl-error.js'
import type { Matrix } from './types.js'
import { packagePath } from '../package-root.js'

export { validateMatrix } from './validate.js'

/** The data shipped with envctl; the same relative path works from src/matrix and dist/matrix. */
export const DEFAULT_MATRIX_DIR = packagePath('data', 'matrix')

/** Which file holds each part of the matrix. */
export const MATRIX_FILES: Record<keyof Matrix, string> = {
  index: 'index.json',
  torch: 'pytorch.json',
  tensorflow: 'tensorflow.json',
  mxnet: 'mxnet.json',
  cuda: 'cuda.json',
  cudaImages: 'cuda-images.json',
  baseImages: 'base-images.json',
  languages: 'languages.json',
  tooling: 'tooling.json',
  defaults: 'defaults.json',
}

const cache = new Map<string, Matrix>()

function readJson(dir: string, file: string): unknown {
  const path = join(dir, file)
  try {
    return JSON.parse(readFileSync(path, 'utf8'))
  } catch (cause) {
    const why = cause instanceof Error ? cause.message : String(cause)
    throw new EnvctlError('UNEXPECTED', `cannot read the compatibility data ${path}: ${why}`, {
      cause,
      hint: 'reinstall envctl, or repair the file (data/matrix/README.md describes the layout)',
    })
  }
}

/** Reads data/matrix/*.json once per folder; later calls return the same object, which callers must not mutate. */
export function loadMatrix(dir: string = DEFAULT_MATRIX_DIR): Matrix {
  const hit = cache.get(dir)
  if (hit) return hit
  const entries = Object.entries(MATRIX_FILES).map(([key, file]) => [key, readJson(dir, file)])
  const matrix = Object.fromEntries(entries) as Matrix
  cache.set(dir, matrix)
  return matrix
}
