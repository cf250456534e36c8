import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { renderError } from '../../../src/errors/envctl-error.js'

/** A temp folder holding the given files (path → contents). */
export function stackDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'envctl-stack-'))
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), text)
  }
  return dir
}

/** The EnvctlError `fn` throws; fails the test when it does not throw one. */
export { failure as caught } from '../../support/spec.js'

export { renderError }
