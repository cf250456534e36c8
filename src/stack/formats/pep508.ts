import { controlCharacterIn, firstProblem, forbiddenCharacterIn, show } from './characters.js'
import { isValidMarker } from './pep508-marker.js'

// PEP 508 without the rarely used corners: name, [extras], then version specifiers or `@ url`,
// then an optional `; marker`. Version text is limited to the characters versions use.
const NAME = '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?'
const EXTRAS = `\\[\\s*(?:${NAME}(?:\\s*,\\s*${NAME})*)?\\s*\\]`
const SPEC = '(?:===|==|!=|~=|<=|>=|<|>)\\s*[A-Za-z0-9_.*+!-]+'
const SPECS = `${SPEC}(?:\\s*,\\s*${SPEC})*`
const URL_REF = "@\\s*(?:https?|file|git\\+https?|git\\+ssh)://[A-Za-z0-9._~:/?#\\[\\]@%+=,-]+"
const REQUIREMENT = new RegExp(`^\\s*(${NAME})\\s*(?:${EXTRAS})?\\s*(?:${SPECS}|\\(\\s*${SPECS}\\s*\\)|${URL_REF})?\\s*$`)

/** Characters that cannot appear in the requirement part (before `;`): shell syntax, quotes. */
const REQUIREMENT_FORBIDDEN = /[`$|&\\'"{}\n\r]/

/** Splits "name… ; marker" at the first `;`. */
function splitMarker(requirement: string): { spec: string; marker?: string } {
  const at = requirement.indexOf(';')
  return at < 0 ? { spec: requirement } : { spec: requirement.slice(0, at), marker: requirement.slice(at + 1) }
}

function shapeProblem(spec: string): string | undefined {
  if (/^\s*-/.test(spec)) return 'is a pip option, not a requirement; put index settings under [mirrors]'
  if (REQUIREMENT.test(spec)) return undefined
  if (/^\s*[A-Za-z0-9._-]+\s*=\s*[^=]/.test(spec)) return 'uses `=`; pin a version with `==` (e.g. "torch==2.3.1")'
  if (/^\s*[A-Za-z0-9._-]+\s+[A-Za-z0-9]/.test(spec)) return 'has a space inside the package name or before the version; write e.g. "numpy>=1.26"'
  return 'is not a PEP 508 requirement: expected name[extras] and optional version specifiers, e.g. "numpy>=1.26,<2"'
}

/** Why a packages.pip entry is not acceptable, or undefined when it is. */
export function checkPipRequirement(value: string): string | undefined {
  const { spec, marker } = splitMarker(value)
  const reason = firstProblem(
    () => controlCharacterIn(value),
    () => forbiddenCharacterIn(spec, REQUIREMENT_FORBIDDEN),
    () => shapeProblem(spec),
    () => (marker === undefined || isValidMarker(marker) ? undefined : `has an invalid environment marker after \`;\` (${show(marker.trim())})`),
  )
  return reason && `pip requirement ${show(value)} ${reason}`
}

/** The distribution name as pip compares it (PEP 503): lowercase, runs of -_. become one -. */
export function pipPackageName(requirement: string): string {
  const m = new RegExp(`^\\s*(${NAME})`).exec(requirement)
  return (m?.[1] ?? requirement).toLowerCase().replace(/[-_.]+/g, '-')
}
