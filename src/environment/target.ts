import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { EnvctlError } from '../errors/envctl-error.js'
import { readStackFile } from '../stack/parse.js'
import { nameFromFolder, PROJECT_FILE } from '../stack/stack-ref.js'
import { envName } from './naming.js'

/** True when `cwd` is a project folder (it holds envctl.toml). */
export function isProjectDir(cwd: string): boolean {
  return existsSync(join(cwd, PROJECT_FILE))
}

/**
 * The environment a command means when no NAME is given: the project's in `cwd`, named exactly as `up`
 * names it, so `envctl up` then `envctl shell` in the same folder reach the same container.
 */
export function currentEnvName(cwd: string): string {
  if (!isProjectDir(cwd)) {
    throw new EnvctlError('NOT_FOUND', `no environment NAME given, and ${cwd} has no ${PROJECT_FILE} to take it from`, {
      hint: 'pass a NAME; envctl ls --all lists them',
    })
  }
  // `name` is never inherited, so the top file alone decides it: no need to follow `extends` (a git source
  // would mean a fetch) to find the container.
  const file = join(cwd, PROJECT_FILE)
  const { name } = readStackFile(file, PROJECT_FILE).table
  return envName({ name: typeof name === 'string' ? name : nameFromFolder(file) }, cwd, true)
}
