import type { Engine } from '../../engine/engine.js'
import { EnvctlError } from '../../errors/envctl-error.js'

/**
 * A file the image may lack (/etc/shells, the system CA bundle): null when the engine says it is not there.
 * Any other failure (the engine went away, a permission problem) is an error, never an empty file that would
 * then replace what could not be read.
 */
export async function readOptional(engine: Engine, id: string, path: string): Promise<Buffer | null> {
  try {
    return await engine.readFile(id, path)
  } catch (err) {
    if (err instanceof EnvctlError && err.code === 'NOT_FOUND') return null
    throw err
  }
}
