import type { ResolvedStack } from '../../resolvers/types.js'
import { npmPackageName } from '../../stack/formats/packages.js'
import { renderRefusal, shellWord } from '../escape.js'
import { caMounts, withCa } from '../ca.js'
import { npmCredentials, secretMounts, withSecrets } from '../secrets.js'
import { cacheMount, runInstruction, sortedUnique, type Section } from '../instructions.js'
import { checkNpmSpec, checkUrl } from '../validate.js'
import { MAKE_REPORT_DIR, REPORT_DIR } from '../python.js'

/** The specs asked for; a package envctl.lock pins is installed at the version recorded. */
function npmSpecs(r: ResolvedStack): string[] {
  const pins = r.locked?.npm ?? {}
  const pinned = (spec: string) => {
    const name = npmPackageName(spec)
    return name in pins ? `${name}@${pins[name]}` : spec
  }
  return sortedUnique(r.npm.map(checkNpmSpec).map(pinned).map(checkNpmSpec))
}

/**
 * Global npm packages; the node base image brings npm. npm's cache is a BuildKit cache mount. The global
 * list goes to /opt/envctl/npm.json, for `envctl up` to record the versions in envctl.lock.
 */
export const npmPackages: Section = (r) => {
  if (r.npm.length === 0) return []
  if (r.runtime !== 'node') {
    throw renderRefusal('npm packages for runtime', r.runtime, 'only node base images bring npm')
  }
  // With credentials, the flag names the registry without them; the step's .npmrc holds them (secrets.ts).
  const url = npmCredentials(r)?.url ?? r.mirrors.npm
  const registry = url === undefined ? '' : ` --registry ${shellWord(checkUrl(url, 'npm mirror URL'), 'npm mirror URL')}`
  return [
    '# npm packages, installed globally',
    ...runInstruction(
      [cacheMount('/root/.npm'), ...caMounts(r), ...secretMounts(r)],
      withSecrets(r, withCa(r, 'npm', [
        MAKE_REPORT_DIR,
        { command: `npm install -g${registry}`, args: npmSpecs(r).map((s) => shellWord(s, 'npm package')) },
        // npm ls exits non-zero for problems it only reports (a missing optional peer); the list is still written.
        `(npm ls -g --depth=0 --json || true) > ${REPORT_DIR}/npm.json`,
      ])),
    ),
  ]
}
