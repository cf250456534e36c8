// The one place that decides what of a URL is secret and how it is shown. Every output envctl produces
// (stdout, stderr, --json, error messages, build log tails, explain lines) passes through maskSecrets at
// the command edge; code that builds a message from a URL may also call maskUrl itself.

export const MASK = '***'

/** Query parameters whose value is a credential: ?token=…, &api_key=…, X-Amz-Signature=…, sig=…. */
const SECRET_PARAM = /token|key|secret|passw(?:or)?d|pwd|auth|sig(?:nature)?$|credential|session/i

/** scheme://[userinfo@]rest: the userinfo is everything up to the last @ before the first / ? or #. */
const AUTHORITY = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)@/i
/** A URL inside free text, up to whitespace or a quote (the characters mirror URLs may not hold). */
const URL_IN_TEXT = /[a-z][a-z0-9+.-]*:\/\/[^\s'"`<>]+/gi

/** Whether a query parameter's name marks its value as a credential. */
export function isSecretParam(name: string): boolean {
  return SECRET_PARAM.test(decodeURIComponentSafe(name))
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}

/**
 * A password that is only a reference to a variable (Compose's `${NAME}` or `${NAME:?message}`, Kubernetes'
 * `$(NAME)`), as exports write them: it names where the secret is, and is no secret itself.
 */
const REFERENCE = /^(?:\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?][^}]*)?\}|\$\([A-Za-z_][A-Za-z0-9_]*\))$/

/** user:pass → user:***; a lone name (a token used as the user, as GitHub and GitLab accept) → ***. */
function maskUserinfo(userinfo: string): string {
  const colon = userinfo.indexOf(':')
  if (colon >= 0 && REFERENCE.test(userinfo.slice(colon + 1))) return userinfo
  return colon < 0 ? MASK : `${userinfo.slice(0, colon)}:${MASK}`
}

function maskQuery(url: string, keep: (name: string) => boolean = () => false): string {
  const q = url.indexOf('?')
  if (q < 0) return url
  const hash = url.indexOf('#', q)
  const end = hash < 0 ? url.length : hash
  const params = url.slice(q + 1, end).split('&').map((p) => {
    const eq = p.indexOf('=')
    const name = p.slice(0, eq)
    return eq > 0 && isSecretParam(name) && !keep(name) ? `${p.slice(0, eq + 1)}${MASK}` : p
  })
  return `${url.slice(0, q + 1)}${params.join('&')}${url.slice(end)}`
}

/** A URL as it may be shown anywhere: the password (or token user) and secret query values replaced by ***. */
export function maskUrl(url: string): string {
  const withoutUser = url.replace(AUTHORITY, (_, scheme: string, userinfo: string) => `${scheme}${maskUserinfo(userinfo)}@`)
  return maskQuery(withoutUser)
}

/**
 * The notebook's own URL (http://127.0.0.1:PORT/lab?token=…) is the one credential envctl prints on purpose:
 * it is how the user opens their notebook (`envctl url`, `up`). Its token is kept; nothing else is.
 */
const LOOPBACK = /^https?:\/\/(?:127\.0\.0\.1|localhost)(?::\d+)?\//i

/** Every URL in a text masked (log lines, error messages, rendered tables, --json values). */
export function maskSecrets(text: string): string {
  if (!text.includes('://')) return text
  return text.replace(URL_IN_TEXT, (url) => {
    const masked = url.replace(AUTHORITY, (_, scheme: string, userinfo: string) => `${scheme}${maskUserinfo(userinfo)}@`)
    return maskQuery(masked, (name) => name === 'token' && LOOPBACK.test(masked))
  })
}

/** A JSON-able value with every string masked: the --json result of any command. */
export function maskDeep<T>(value: T): T {
  if (typeof value === 'string') return maskSecrets(value) as T
  if (Array.isArray(value)) return value.map(maskDeep) as T
  if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskDeep(v)])) as T
  }
  return value
}

/** Whether a URL carries a credential: a userinfo part or a secret query parameter. */
export function hasCredentials(url: string): boolean {
  return maskUrl(url) !== url
}

/**
 * The URL without its userinfo, and the user name and password it carried (decoded). Query tokens stay:
 * a URL that needs one cannot be made credential-free, so it travels whole, as a secret.
 */
export function splitUserinfo(url: string): { url: string; user?: string; password?: string } {
  const m = AUTHORITY.exec(url)
  if (!m) return { url }
  const userinfo = m[2]!
  const colon = userinfo.indexOf(':')
  const user = decodeURIComponentSafe(colon < 0 ? userinfo : userinfo.slice(0, colon))
  const password = colon < 0 ? undefined : decodeURIComponentSafe(userinfo.slice(colon + 1))
  return { url: `${m[1]}${url.slice(m[0].length)}`, user, ...(password === undefined ? {} : { password }) }
}

/** Whether a URL's query carries a secret (which no credential file can supply separately). */
export function hasSecretQuery(url: string): boolean {
  return maskQuery(url) !== url
}
