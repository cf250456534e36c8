import { EnvctlError } from '../errors/envctl-error.js'
import type { ResolvedStack } from '../resolvers/types.js'
import { hasCredentials, hasSecretQuery, maskUrl, splitUserinfo } from '../secrets/mask.js'
import { shellWord, xmlText } from './escape.js'
import type { Step } from './instructions.js'

// Credentials in mirror and proxy URLs (https://user:pass@host/…, ?token=…) never enter the Dockerfile, whose
// text lands in `docker history`. The Dockerfile names credential-free URLs (or none, for a pip source that
// needs its token), and each download step bind-mounts a folder of build-context files that holds them:
// env.sh (sourced by the step: pip's PIP_* sources, proxies), an .npmrc, Maven settings, an apt auth file.
// The same way the CA bundle travels (ca.ts): read-only, for that RUN only, never in a layer.
//
// The files are NOT part of the image's content hash (up.ts hashes renderContextFiles, not these): a
// credential decides who may download, not what is installed, so a rotated password must not rebuild the
// image nor change its tag. They are added to the build context by the service that builds (image.ts).

/** The folder's name in the build context and where a download step sees it. */
export const SECRETS_CONTEXT_DIR = 'envctl-secrets'
export const SECRETS_MOUNT = '/run/envctl/secrets'
const ENV_FILE = 'env.sh'
const NPMRC = 'npmrc'
export const MAVEN_SETTINGS = 'maven-settings.xml'
export const APT_AUTH = 'apt-auth.conf'

type PipOption = 'index-url' | 'extra-index-url' | 'find-links'

/** pip's source options whose URLs carry a credential: each travels whole in env.sh, as PIP_<OPTION>. */
export function secretPipOptions(r: ResolvedStack): Array<{ option: PipOption; urls: string[] }> {
  const s = r.pipSources
  const all: Array<{ option: PipOption; urls: string[] }> = [
    { option: 'index-url', urls: s.indexUrl === null ? [] : [s.indexUrl] },
    { option: 'extra-index-url', urls: s.extraIndexUrls },
    { option: 'find-links', urls: s.findLinks },
  ]
  return all.filter((o) => o.urls.some(hasCredentials))
}

/** The proxy variables whose value carries a credential, both spellings (tools differ on which they read). */
export function secretProxyVariables(r: ResolvedStack): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of [['HTTP_PROXY', r.network.httpProxy], ['HTTPS_PROXY', r.network.httpsProxy]] as const) {
    if (v && hasCredentials(v)) Object.assign(out, { [k]: v, [k.toLowerCase()]: v })
  }
  return out
}

/** npm, Maven and apt take credentials as user:password only; a token in their query has nowhere to go. */
function userinfoOnly(url: string | undefined, key: string): { url: string; user?: string; password?: string } | null {
  if (url === undefined || !hasCredentials(url)) return null
  if (hasSecretQuery(url)) {
    throw new EnvctlError('INVALID_STACK', `${key} = ${maskUrl(url)} carries a token in its query, which envctl can only pass to pip`, {
      hint: `write the credential as https://USER:PASSWORD@host/… in ${key}`,
    })
  }
  return splitUserinfo(url)
}

export const npmCredentials = (r: ResolvedStack) => userinfoOnly(r.mirrors.npm, 'mirrors.npm')
export const mavenCredentials = (r: ResolvedStack) => userinfoOnly(r.mirrors.maven, 'mirrors.maven')
export const aptCredentials = (r: ResolvedStack) => userinfoOnly(r.mirrors.apt, 'mirrors.apt')

/** Whether any download step needs the secrets folder. */
export function hasBuildSecrets(r: ResolvedStack): boolean {
  return secretPipOptions(r).length > 0 || Object.keys(secretProxyVariables(r)).length > 0 || Boolean(npmCredentials(r) ?? mavenCredentials(r) ?? aptCredentials(r))
}

/** The bind mount a download step adds, or nothing. */
export function secretMounts(r: ResolvedStack): string[] {
  return hasBuildSecrets(r) ? [`--mount=type=bind,source=${SECRETS_CONTEXT_DIR},target=${SECRETS_MOUNT}`] : []
}

/** A download step's steps, after loading env.sh into that step's shell only. */
export function withSecrets(r: ResolvedStack, steps: Step[]): Step[] {
  return hasBuildSecrets(r) ? [`. ${SECRETS_MOUNT}/${ENV_FILE}`, ...steps] : steps
}

/** What a Dockerfile reader learns of the secret sources: masked URLs, in a comment. */
export function secretPipComment(r: ResolvedStack): string[] {
  const opts = secretPipOptions(r)
  if (opts.length === 0) return []
  const shown = opts.map((o) => `--${o.option} ${o.urls.map(maskUrl).join(' ')}`).join(' ')
  return [`# pip sources with credentials, from ${SECRETS_MOUNT}/${ENV_FILE}: ${shown}`]
}

const base64 = (s: string) => Buffer.from(s, 'utf8').toString('base64')

/** `//host/path/:_auth=…`: npm's per-registry credential line (the registry URL without scheme). */
export function npmAuthLine(plainUrl: string, user: string | undefined, password: string | undefined): string {
  const nerf = plainUrl.replace(/^https?:/, '').replace(/\/?$/, '/')
  return password === undefined ? `${nerf}:_authToken=${user ?? ''}` : `${nerf}:_auth=${base64(`${user ?? ''}:${password}`)}`
}

/** Maven settings: the mirror, and the server entry of the same id that holds its credentials. */
export function mavenSettings(plainUrl: string, user: string | undefined, password: string | undefined): string {
  const server = `<server><id>envctl-mirror</id><username>${xmlText(user ?? '')}</username><password>${xmlText(password ?? '')}</password></server>`
  return `<settings><servers>${server}</servers><mirrors><mirror><id>envctl-mirror</id><mirrorOf>*</mirrorOf><url>${xmlText(plainUrl)}</url></mirror></mirrors></settings>\n`
}

/** apt's auth.conf line: machine host[:port]/path (no scheme), login, password. */
export function aptAuth(plainUrl: string, user: string | undefined, password: string | undefined): string {
  const machine = plainUrl.replace(/^[a-z]+:\/\//i, '').replace(/\/+$/, '')
  return `machine ${machine} login ${user ?? ''} password ${password ?? ''}\n`
}

function envFile(r: ResolvedStack): string {
  const exports = [
    ...Object.entries(secretProxyVariables(r)),
    ...secretPipOptions(r).map((o) => [`PIP_${o.option.toUpperCase().replace(/-/g, '_')}`, o.urls.join(' ')]),
    ...(npmCredentials(r) ? [['NPM_CONFIG_USERCONFIG', `${SECRETS_MOUNT}/${NPMRC}`]] : []),
  ]
  return exports.map(([k, v]) => `export ${k}=${shellWord(v!, k!)}\n`).join('')
}

/**
 * The folder's files, keyed by build-context path; empty when nothing needs a credential. Pure, like the
 * Dockerfile, but deliberately apart from renderContextFiles: see the note at the top.
 */
export function buildSecretFiles(r: ResolvedStack): Record<string, string> {
  if (!hasBuildSecrets(r)) return {}
  const at = (name: string) => `${SECRETS_CONTEXT_DIR}/${name}`
  const npm = npmCredentials(r)
  const maven = mavenCredentials(r)
  const apt = aptCredentials(r)
  return {
    [at(ENV_FILE)]: envFile(r),
    ...(npm ? { [at(NPMRC)]: `registry=${npm.url}\n${npmAuthLine(npm.url, npm.user, npm.password)}\n` } : {}),
    ...(maven ? { [at(MAVEN_SETTINGS)]: mavenSettings(maven.url, maven.user, maven.password) } : {}),
    ...(apt ? { [at(APT_AUTH)]: aptAuth(apt.url, apt.user, apt.password) } : {}),
  }
}
