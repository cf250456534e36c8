import { EnvctlError } from '../errors/envctl-error.js'
import type { SecretValues } from '../env-services/secrets.js'

// An export never carries a generated password: each one is a variable the file refers to (Compose `${VAR}`,
// Kubernetes a Secret key), and its value goes into a 0600 file beside the export that is not meant for git.
// While planning, a secret's value is a marker that no stack value can hold (it starts with a NUL); each renderer
// turns it into its tool's reference, after escaping the stack's own values.

/** One generated secret of one service, and the variable an export names it by. */
export interface SecretRef {
  service: string
  /** The service's own variable (MYSQL_ROOT_PASSWORD). */
  name: string
  /** The export's variable (DB_MYSQL_ROOT_PASSWORD): the service's name, then the variable. */
  variable: string
}

const MARK = '\u0000secret:'
const MARKED = /\u0000secret:([A-Za-z_][A-Za-z0-9_]*)\u0000/g

/** The marker planned in place of a secret's value. */
export const secretMarker = (variable: string): string => `${MARK}${variable}\u0000`

/** Every marker in `text` replaced by what `ref` makes of its variable. */
export function replaceMarkers(text: string, ref: (variable: string) => string): string {
  return text.replace(MARKED, (_, variable: string) => ref(variable))
}

/** The variables whose markers `text` holds, in order. */
export function markersIn(text: string): string[] {
  return [...text.matchAll(MARKED)].map((m) => m[1]!)
}

/** A service's variable as the export names it: `db` + MYSQL_ROOT_PASSWORD → DB_MYSQL_ROOT_PASSWORD. */
export function secretVariable(service: string, name: string): string {
  const prefix = service.toUpperCase().replace(/[^A-Z0-9]+/g, '_')
  return `${/^[A-Z_]/.test(prefix) ? prefix : `SVC_${prefix}`}_${name}`
}

/** The secrets each service wants, named for the export; two services whose names meet in one variable are refused. */
export function secretRefs(wanted: Record<string, string[]>): SecretRef[] {
  const refs = Object.entries(wanted).flatMap(([service, names]) => names.map((name) => ({ service, name, variable: secretVariable(service, name) })))
  const seen = new Map<string, string>()
  for (const r of refs) {
    const other = seen.get(r.variable)
    if (other !== undefined && other !== r.service) {
      throw new EnvctlError('INVALID_STACK', `services.${other} and services.${r.service} would both pass their password as ${r.variable} in the export`, {
        hint: `rename one of [services.${other}] and [services.${r.service}]`,
      })
    }
    seen.set(r.variable, r.service)
  }
  return refs.sort((a, b) => a.variable.localeCompare(b.variable))
}

/** The markers a plan takes as its secret values ({ db: { MYSQL_ROOT_PASSWORD: marker } }). */
export function markerValues(refs: SecretRef[]): SecretValues {
  const out: SecretValues = {}
  for (const r of refs) out[r.service] = { ...out[r.service], [r.name]: secretMarker(r.variable) }
  return out
}
