import { isIP } from 'node:net'
import { controlCharacterIn, firstProblem, forbiddenCharacterIn, show } from './characters.js'

const URL_FORBIDDEN = /[`$|\\'"(){}<>;!*\s^]/
/** Published for editors; checkMirrorUrl and checkProxyUrl also parse the URL. */
export const MIRROR_URL = /^(?:https?|file):\/\/[^`$|\\'"(){}<>;!*\s^]+$/
export const PROXY_URL = /^(?:https?|socks4|socks5h?):\/\/[^`$|\\'"(){}<>;!*\s^]+$/
const HOST = '[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?'
export const HOST_PORT = new RegExp(`^${HOST}(?::\\d{1,5})?$`)
export const REGISTRY = new RegExp(`^(?:https?://)?${HOST}(?::\\d{1,5})?(?:/[A-Za-z0-9._/-]*)?$`)
const NO_PROXY_ENTRY = '[A-Za-z0-9.*:/\\[\\]_-]+'
export const NO_PROXY = new RegExp(`^${NO_PROXY_ENTRY}(?: *, *${NO_PROXY_ENTRY})*$`)

function urlProblem(value: string, schemes: readonly string[]): string | undefined {
  const expected = schemes.map((s) => `${s}://`).join(', ')
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(value)?.[1].toLowerCase()
  if (scheme === undefined) return `has no scheme; expected ${expected}`
  if (!schemes.includes(scheme)) return `uses ${scheme}://; expected ${expected}`
  return URL.canParse(value) ? undefined : 'is not a valid URL'
}

function checkUrlWith(schemes: readonly string[]) {
  return (value: string): string | undefined => {
    const reason = firstProblem(
      () => controlCharacterIn(value),
      () => forbiddenCharacterIn(value, URL_FORBIDDEN),
      () => urlProblem(value, schemes),
    )
    return reason && `URL ${show(value)} ${reason}`
  }
}

export const checkMirrorUrl = checkUrlWith(['http', 'https', 'file'])
export const checkProxyUrl = checkUrlWith(['http', 'https', 'socks4', 'socks5', 'socks5h'])

function checkShape(kind: string, shape: RegExp, expected: string) {
  return (value: string): string | undefined => (shape.test(value) ? undefined : `${kind} ${show(value)} is not ${expected}`)
}

export const checkHostPort = checkShape('host', HOST_PORT, 'a host name with an optional :port')
export const checkRegistry = checkShape('registry', REGISTRY, 'a registry host[:port][/path], e.g. "mirror.example:5000"')
export const checkNoProxy = checkShape('no_proxy', NO_PROXY, 'a comma-separated list of hosts, domains or CIDRs')

export function checkIpAddress(value: string): string | undefined {
  return isIP(value) === 0 ? `bind address ${show(value)} is not an IPv4 or IPv6 address` : undefined
}
