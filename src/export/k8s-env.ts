import type { IEnvVar } from 'kubernetes-models/v1'
import { markersIn, replaceMarkers } from './secret-refs.js'

// Kubernetes expands `$(VAR)` in an env value from the variables defined before it in the same list, and reads
// `$$` as a literal `$`. The stack's values are escaped, so only the generated passwords are references: each is
// a variable read from the environment's Secret, defined first, which the values using it name as `$(VAR)`.

/** The Secret holding an environment's generated passwords: made by the user from the env file the export writes. */
export const servicesSecret = (name: string): string => `${name}-secrets`

const fromSecret = (secret: string, variable: string): IEnvVar => ({ name: variable, valueFrom: { secretKeyRef: { name: secret, key: variable } } })

function value(v: string): string {
  return replaceMarkers(v.replace(/\$/g, '$$$$'), (variable) => `$(${variable})`)
}

/**
 * An env list, sorted by name: a value that is exactly a password is read from the Secret by its own name; a value
 * holding one (DATABASE_URL) names it, and the password's variable is defined before it from the Secret.
 */
export function k8sEnv(env: Record<string, string>, secret: string): IEnvVar[] {
  const sorted = Object.entries(env).sort(([a], [b]) => a.localeCompare(b))
  const whole = (v: string): string | null => {
    const m = markersIn(v)
    return m.length === 1 && replaceMarkers(v, () => '') === '' ? m[0]! : null
  }
  const embedded = [...new Set(sorted.filter(([, v]) => whole(v) === null).flatMap(([, v]) => markersIn(v)))].sort()
  const vars = sorted.map(([name, v]): IEnvVar => {
    const ref = whole(v)
    return ref ? { name, valueFrom: { secretKeyRef: { name: secret, key: ref } } } : { name, value: value(v) }
  })
  return [...embedded.filter((variable) => env[variable] === undefined).map((variable) => fromSecret(secret, variable)), ...vars]
}
