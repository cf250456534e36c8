import { dockerfileString } from '../escape.js'
import { byCodeUnit, type Section } from '../instructions.js'
import { checkEnvKey } from '../validate.js'

/** The stack's env, one ENV per variable (one line per variable in a diff), sorted by name. */
export const environment: Section = (r) => {
  const keys = Object.keys(r.env).sort(byCodeUnit)
  if (keys.length === 0) return []
  return [
    '# Environment from the stack',
    ...keys.map((k) => `ENV ${checkEnvKey(k)}=${dockerfileString(r.env[k]!, `env value of ${k}`)}`),
  ]
}
