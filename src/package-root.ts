import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The folder holding envctl's package.json, found by walking up from this module: the same answer from
 * src/ (tests), dist/ (tsc) and dist/bundle/ (the single-file build), wherever the package is installed.
 */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const pkg = join(dir, 'package.json')
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'envctl') return dir
    const up = dirname(dir)
    if (up === dir) throw new Error('cannot find envctl\'s package.json above ' + fileURLToPath(import.meta.url))
    dir = up
  }
}

export const PACKAGE_ROOT = findRoot()

export function packagePath(...parts: string[]): string {
  return join(PACKAGE_ROOT, ...parts)
}
