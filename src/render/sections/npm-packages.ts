import { renderRefusal, shellWord } from '../escape.js'
import { cacheMount, runInstruction, sortedUnique, type Section } from '../instructions.js'
import { checkNpmSpec, checkUrl } from '../validate.js'

/** Global npm packages; the node base image brings npm. npm's cache is a BuildKit cache mount. */
export const npmPackages: Section = (r) => {
  if (r.npm.length === 0) return []
  if (r.runtime !== 'node') {
    throw renderRefusal('npm packages for runtime', r.runtime, 'only node base images bring npm')
  }
  const registry = r.mirrors.npm === undefined ? '' : ` --registry ${shellWord(checkUrl(r.mirrors.npm, 'npm mirror URL'), 'npm mirror URL')}`
  return [
    '# npm packages, installed globally',
    ...runInstruction(
      [cacheMount('/root/.npm')],
      [{ command: `npm install -g${registry}`, args: sortedUnique(r.npm.map(checkNpmSpec)).map((s) => shellWord(s, 'npm package')) }],
    ),
  ]
}
