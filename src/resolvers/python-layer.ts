import type { StackSpec } from '../stack/types.js'
import { EnvctlError, formatLocation } from '../errors/envctl-error.js'
import { compareLoose, type VersionRange } from './version-range.js'
import type { Combo } from './combine.js'
import type { Candidate, FrameworkName, FrameworkRequest } from './frameworks/types.js'

const pythonLine = (spec: StackSpec): string => {
  const at = spec.provenance['python.version']
  return `python.version "${spec.python?.version}"${at ? ` (${formatLocation(at)})` : ''}`
}

/**
 * The frameworks were pinned nearer than python.version, and have no wheels for it: python follows them.
 * The note is both the warning and the `--explain` line for python.
 */
export function followFrameworks(spec: StackSpec, requests: FrameworkRequest[], combo: Combo): Combo {
  const pins = requests.map((r) => r.source).join('; ')
  const note = `${pythonLine(spec)} is inherited, so it is a preference: the frameworks pinned nearer (${pins}) have no wheels for it, so python follows them and is ${combo.python} (set python.version next to the pin to choose another)`
  return { ...combo, warnings: [...combo.warnings, note], pythonNote: note }
}

const uniqSorted = (xs: string[]): string[] => [...new Set(xs)].sort(compareLoose)

/**
 * A python.version written in the same file as the frameworks (or nearer) is a hard constraint; when the
 * frameworks would resolve without it, say which two lines disagree. Null when no one framework is to blame.
 */
export function pythonConflict(spec: StackSpec, requests: FrameworkRequest[], candidates: Map<FrameworkName, Candidate[]>, range: VersionRange): EnvctlError | null {
  const blamed = requests
    .map((r) => ({ r, pythons: uniqSorted((candidates.get(r.framework) ?? []).flatMap((c) => c.python)) }))
    .filter(({ pythons }) => pythons.length > 0 && !pythons.some((p) => range.test(p)))
  if (!blamed.length) return null
  const clash = blamed.map(({ r, pythons }) => `${r.source}: ${r.framework} has wheels for python ${pythons.join(', ')}`).join('; ')
  return new EnvctlError('UNRESOLVABLE', `${pythonLine(spec)} conflicts with ${clash}`, {
    hint: 'set python.version to one of those versions, remove it (python then follows the frameworks), or change the pin',
  })
}
