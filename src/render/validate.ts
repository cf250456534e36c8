import type { PipRequirement } from '../resolvers/types.js'
import { assertPrintable, renderRefusal } from './escape.js'

/**
 * Shapes of the names the renderer copies into shell commands and FROM. The stack validator
 * (src/stack/formats) already checks them; they are restated here on purpose, independently, so that the
 * renderer stays safe on its own (a ResolvedStack also comes from lock files and from resolver code).
 * Each shape accepts at least what the validator accepts, never shell syntax, and nothing that starts with
 * `-` (a tool would read it as an option). Values are single-quoted as well.
 */

const PIP_NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?'
const PIP_EXTRAS = `\\[\\s*(?:${PIP_NAME}(?:\\s*,\\s*${PIP_NAME})*)?\\s*\\]`
const PIP_SPEC = '(?:===|==|!=|~=|<=|>=|<|>)\\s*[A-Za-z0-9.*+!_-]+'
const PIP_SPECS = `${PIP_SPEC}(?:\\s*,\\s*${PIP_SPEC})*`
const PIP_URL = '@\\s*(?:https?|file|git\\+https?|git\\+ssh)://[A-Za-z0-9._~:/?#\\[\\]@%+=,-]+'
/** Marker characters only (the stack validator checks the grammar): no $, `, backslash, ;, |, &. */
const PIP_MARKER = `;[A-Za-z0-9 ._*+!'"()<>=~-]+`
/**
 * PEP 508 as the stack validator accepts it: name, [extras], version specifiers (optionally in parentheses)
 * or `@ url`, then an optional `; marker`. Spaces are fine: the whole requirement is one quoted word.
 */
const PIP_REQUIREMENT = new RegExp(
  `^\\s*(${PIP_NAME})\\s*(?:${PIP_EXTRAS})?\\s*(?:${PIP_SPECS}|\\(\\s*${PIP_SPECS}\\s*\\)|${PIP_URL})?\\s*(?:${PIP_MARKER})?$`,
)
/** Debian package name (policy 5.6.1), optional :arch, optional =version (epoch:upstream-revision). */
const APT_PACKAGE = /^[a-z0-9][a-z0-9+.-]+(?::[a-z0-9-]+)?(?:=[A-Za-z0-9.+~:_-]+)?$/
/** npm registry spec: [@scope/]name[@range-or-tag]; ranges may hold single spaces (">=1 <2"). */
const NPM_RANGE = '[A-Za-z0-9.^~<>=*+|_-]+(?: [A-Za-z0-9.^~<>=*+|_-]+)*'
/** Names start with a letter or digit: a leading `-` would make npm read the spec as an option. */
const NPM_SPEC = new RegExp(`^(?:@[a-z0-9~][a-z0-9._~-]*/)?[a-z0-9~][a-z0-9._~-]*(?:@${NPM_RANGE})?$`)
/** groupId:artifactId:version[:packaging[:classifier]], as dependency:get -Dartifact takes it. */
const MAVEN_COORD = /^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.+-]+){1,3}$/
/** Names a shell and the Dockerfile both accept as a variable. */
const ENV_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/
/** A framework name or version in the compact label ("pytorch=2.3.1,…"): no `,` or `=` inside. */
const LABEL_TOKEN = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/
/** Host[:port] for pip --trusted-host. */
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::[0-9]{1,5})?$/
/**
 * URL characters allowed: RFC 3986 unreserved, gen-delims and the harmless sub-delims. Left out on purpose:
 * whitespace, quotes, backslash, backtick, $, ( ), |, < >, { }, ^ — none is needed by a mirror URL, and
 * each means something to a shell, sed or XML.
 */
const URL_CHARS = /^[A-Za-z0-9._~:/?#@!&*+,;=%[\]-]+$/
const URL_SCHEMES = new Set(['http:', 'https:', 'file:'])

/** Image reference as distribution/reference defines it, with an optional sha256 digest. */
const LABEL = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?'
const DOMAIN = `${LABEL}(?:\\.${LABEL})*(?::[0-9]+)?`
const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}'
const DIGEST = 'sha256:[a-f0-9]{64}'
const IMAGE = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`)
const DIGEST_ONLY = new RegExp(`^${DIGEST}$`)

function matching(re: RegExp, value: string, what: string, shape: string): string {
  assertPrintable(value, what)
  if (!re.test(value)) throw renderRefusal(what, value, `expected ${shape}`)
  return value
}

/** PEP 503 normalised name: the key pip itself compares names by. */
export function normalizePipName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-')
}

const PIP_NAME_ONLY = new RegExp(`^${PIP_NAME}$`)

export function checkPipRequirement(req: PipRequirement): string {
  matching(PIP_NAME_ONLY, req.name, 'pip package name', 'a PEP 508 name such as "numpy"')
  const what = `pip requirement of ${JSON.stringify(req.name)}`
  matching(PIP_REQUIREMENT, req.requirement, what, 'name[extras] followed by version specifiers, e.g. "numpy>=1.26"')
  const named = PIP_REQUIREMENT.exec(req.requirement)![1]!
  if (normalizePipName(named) !== normalizePipName(req.name)) {
    throw renderRefusal(what, req.requirement, `it names ${JSON.stringify(named)}, not ${JSON.stringify(req.name)}`)
  }
  return req.requirement
}

export const checkAptPackage = (v: string): string =>
  matching(APT_PACKAGE, v, 'apt package', 'a Debian package name with an optional =version')

export const checkNpmSpec = (v: string): string =>
  matching(NPM_SPEC, v, 'npm package', '[@scope/]name[@version-range], e.g. "express@^5.1.0"')

export const checkMavenCoord = (v: string): string =>
  matching(MAVEN_COORD, v, 'maven artifact', 'groupId:artifactId:version[:packaging[:classifier]]')

export const checkEnvKey = (v: string): string =>
  matching(ENV_KEY, v, 'env name', 'letters, digits and underscores, not starting with a digit')

export const checkLabelToken = (v: string, what: string): string =>
  matching(LABEL_TOKEN, v, what, 'letters, digits and . _ + -')

export const checkHost = (v: string): string => matching(HOST, v, 'pip trusted host', 'host or host:port')

export function checkUrl(value: string, what: string): string {
  matching(URL_CHARS, value, what, 'a URL without spaces, quotes or shell characters')
  let scheme: string
  try {
    scheme = new URL(value).protocol
  } catch {
    throw renderRefusal(what, value, 'it is not a URL')
  }
  if (!URL_SCHEMES.has(scheme)) throw renderRefusal(what, value, 'only http, https and file URLs are allowed')
  return value
}

/** The FROM reference: `image` with `digest` appended when one was pinned. */
export function checkImage(image: string, digest: string | undefined): string {
  matching(IMAGE, image, 'base image', 'an image reference such as "python:3.11-slim-bookworm"')
  if (digest === undefined) return image
  matching(DIGEST_ONLY, digest, 'base image digest', 'sha256: and 64 hex digits')
  if (image.includes('@')) throw renderRefusal('base image', image, 'it already has a digest and another was pinned')
  return `${image}@${digest}`
}

/** A version as envctl.lock records it: PEP 440 in practice, and never spaces, quotes, `$` or `#`. */
const PIN_VERSION = /^[A-Za-z0-9][A-Za-z0-9.+!_-]*$/
const SHA256_HEX = /^[a-f0-9]{64}$/

/** `name==version` for a requirements file; pip expands ${VAR} there, so neither part may hold one. */
export function checkPipPin(name: string, version: string): string {
  matching(PIP_NAME_ONLY, name, 'locked pip package name', 'a PEP 508 name such as "numpy"')
  matching(PIN_VERSION, version, `locked version of ${JSON.stringify(name)}`, 'a version such as "2.2.6"')
  return `${name}==${version}`
}

export const checkSha256 = (v: string, what: string): string => matching(SHA256_HEX, v, what, '64 lowercase hex digits')

const PIP_URL_SCHEMES = new Set(['http:', 'https:', 'file:', 'git+http:', 'git+https:', 'git+ssh:'])

/** A direct reference from envctl.lock (`name @ URL`): the URL shapes the stack validator accepts for pip. */
export function checkPipUrl(value: string, what: string): string {
  matching(URL_CHARS, value, what, 'a URL without spaces, quotes or shell characters')
  const scheme = /^[a-z+]+:/.exec(value)?.[0]
  if (!scheme || !PIP_URL_SCHEMES.has(scheme)) throw renderRefusal(what, value, 'only http(s), file and git+http(s)/git+ssh URLs are allowed')
  return value
}
