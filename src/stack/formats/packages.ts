import { controlCharacterIn, firstProblem, forbiddenCharacterIn, show } from './characters.js'

export const APT_PACKAGE = /^[a-z0-9][a-z0-9+.-]+(=[A-Za-z0-9.+:~_-]+)?$/
const NPM_NAME = '(?:@[a-z0-9~-][a-z0-9._~-]*/)?[a-z0-9~-][a-z0-9._~-]*'
// Ranges without `|`: `1.x || 2.x` would need a shell-quoted argument; use a single range instead.
const NPM_RANGE = '[0-9A-Za-z.^~<>=*+-]+(?: [0-9A-Za-z.^~<>=*+-]+)*'
export const NPM_SPEC = new RegExp(`^(${NPM_NAME})(?:@(${NPM_RANGE}))?$`)
export const MAVEN_COORDINATE = /^([A-Za-z0-9_.-]+):([A-Za-z0-9_.-]+):([A-Za-z0-9_.+-]+)$/

/** Shell syntax never found in apt, npm or maven specs (`<` and `>` are allowed in npm ranges). */
const PACKAGE_FORBIDDEN = /[`$|&;\\'"(){}!#?\n\r]/

function check(kind: string, value: string, shape: RegExp, expected: string): string | undefined {
  const reason = firstProblem(
    () => controlCharacterIn(value),
    () => forbiddenCharacterIn(value, PACKAGE_FORBIDDEN),
    () => (shape.test(value) ? undefined : `is not ${expected}`),
  )
  return reason && `${kind} ${show(value)} ${reason}`
}

export function checkAptPackage(value: string): string | undefined {
  return check('apt package', value, APT_PACKAGE, 'a Debian package name (lowercase letters, digits, + - .), optionally =version')
}

export function checkNpmSpec(value: string): string | undefined {
  return check('npm package', value, NPM_SPEC, 'name or @scope/name with an optional @version-range, e.g. "express@^4.18"')
}

export function checkMavenCoordinate(value: string): string | undefined {
  return check('maven artifact', value, MAVEN_COORDINATE, 'group:artifact:version, e.g. "org.slf4j:slf4j-api:2.0.13"')
}

export function aptPackageName(spec: string): string {
  return spec.split('=')[0]
}

export function npmPackageName(spec: string): string {
  return NPM_SPEC.exec(spec)?.[1] ?? spec
}

/** group:artifact, so two versions of one artifact are the same entry. */
export function mavenPackageName(spec: string): string {
  return spec.split(':').slice(0, 2).join(':')
}
