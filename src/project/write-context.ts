import { mkdirSync } from 'node:fs'
import { writeFileAtomicSync } from '../files/atomic-write.js'
import { dirname, join } from 'node:path'

/**
 * `envctl dockerfile -o PATH`: the Dockerfile, and beside it the files it mounts from the build context
 * (envctl/pip-*.txt from envctl.lock), so that `docker build` in that folder builds the same image.
 */
export function writeContext(output: string, dockerfile: string, files: Record<string, string>): string[] {
  writeFileAtomicSync(output, dockerfile)
  const written = [output]
  for (const [rel, content] of Object.entries(files)) {
    const path = join(dirname(output), rel)
    mkdirSync(dirname(path), { recursive: true })
    writeFileAtomicSync(path, content)
    written.push(path)
  }
  return written
}
