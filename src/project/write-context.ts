import { mkdirSync } from 'node:fs'
import { writeFileAtomicSync } from '../files/atomic-write.js'
import { dirname, join } from 'node:path'

/**
 * `envctl dockerfile -o PATH`: the Dockerfile, and beside it the files it mounts from the build context
 * (envctl/pip-*.txt from envctl.lock, the CA bundle of network.ca_bundle), so that `docker build` in that folder builds the same image.
 */
export function writeContext(output: string, dockerfile: string, files: Record<string, string>, secretFiles: Record<string, string> = {}): string[] {
  mkdirSync(dirname(output), { recursive: true })
  writeFileAtomicSync(output, dockerfile)
  const written = [output]
  const write = (rel: string, content: string, secret: boolean) => {
    const path = join(dirname(output), rel)
    mkdirSync(dirname(path), { recursive: true, ...(secret ? { mode: 0o700 } : {}) })
    writeFileAtomicSync(path, content, secret ? 0o600 : 0o644)
    written.push(path)
  }
  for (const [rel, content] of Object.entries(files)) write(rel, content, false)
  // Mirror and proxy credentials (render/secrets.ts): readable by the user only; keep them out of git.
  for (const [rel, content] of Object.entries(secretFiles)) write(rel, content, true)
  return written
}
