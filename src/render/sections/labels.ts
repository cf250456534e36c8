import type { ResolvedStack } from '../../resolvers/types.js'
import { dockerfileString } from '../escape.js'
import { byCodeUnit, type Section } from '../instructions.js'
import { checkLabelToken } from '../validate.js'

/** "pytorch=2.3.1,tensorflow=2.16.1", sorted by framework name. */
function compactFrameworks(frameworks: Record<string, string>): string {
  return Object.keys(frameworks)
    .sort(byCodeUnit)
    .map((name) => `${checkLabelToken(name, 'framework name')}=${checkLabelToken(frameworks[name]!, `version of ${name}`)}`)
    .join(',')
}

/** Label name → value; null values (no python, no CUDA, no framework) are left out. */
function labelValues(r: ResolvedStack): Record<string, string | null> {
  const frameworks = compactFrameworks(r.frameworks)
  return {
    'dev.envctl.cuda': r.cuda,
    'dev.envctl.frameworks': frameworks === '' ? null : frameworks,
    'dev.envctl.gpu': String(r.gpu),
    'dev.envctl.matrix-version': r.matrixVersion,
    'dev.envctl.python': r.python,
    'dev.envctl.stack': r.stack,
  }
}

/**
 * What envctl and `docker inspect` can query the image by. Labels come after every layer: a label is
 * metadata, but an instruction's cache key includes all before it, so a label placed early would rebuild
 * every package layer when, say, the matrix version changes. No envctl version or timestamp: the same
 * stack must give the same Dockerfile.
 */
export const labels: Section = (r) => {
  const values = labelValues(r)
  return [
    '# Labels: after all layers, so that changing one never rebuilds a package layer',
    ...Object.keys(values)
      .sort(byCodeUnit)
      .filter((name) => values[name] !== null)
      .map((name) => `LABEL ${name}=${dockerfileString(values[name]!, `label ${name}`)}`),
  ]
}
