import type { DefaultsMatrix, Sourced } from './types.js'
import { duplicateProblems } from './validate-rules.js'

const FILE = 'defaults.json'
const RELEASE = /^\d+\.\d+\.\d+$/
const LANGUAGES = ['node', 'java'] as const

function noSource(what: string, entry: Partial<Sourced>): string[] {
  return typeof entry.source === 'string' && entry.source.trim() ? [] : [`${FILE}: ${what} has no source`]
}

function eraProblems(m: DefaultsMatrix): string[] {
  return m.torchCompanionLocalTags.flatMap((e, i) => {
    const what = `torchCompanionLocalTags[${i}] (${e.package})`
    const shape = [e.fromTorch, e.beforeTorch].filter((v) => !RELEASE.test(v)).map((v) => `${FILE}: ${what}: "${v}" is not X.Y.Z`)
    return [...noSource(what, e), ...shape]
  })
}

/** defaults.json: every entry sourced, the plain base on a known OS, one base OS per language. */
export function validateDefaults(m: DefaultsMatrix, osIds: Set<string>): string[] {
  const problems = [...noSource('plainBase', m.plainBase), ...eraProblems(m)]
  if (!/^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(m.plainBase.image)) problems.push(`${FILE}: plainBase.image "${m.plainBase.image}" is not an image:tag reference`)
  if (!osIds.has(m.plainBase.os)) problems.push(`${FILE}: plainBase.os ${m.plainBase.os} is not listed in base-images.json os`)
  m.languageBaseOs.forEach((l, i) => problems.push(...noSource(`languageBaseOs[${i}] (${l.language})`, l)))
  problems.push(...duplicateProblems(FILE, 'languageBaseOs language', m.languageBaseOs.map((l) => l.language)))
  for (const lang of LANGUAGES) if (!m.languageBaseOs.some((l) => l.language === lang)) problems.push(`${FILE}: languageBaseOs has no entry for ${lang}`)
  return problems
}
