import type { Matrix } from '../matrix/types.js'
import type { StackSpec } from '../stack/types.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { ResolvedBase } from './types.js'
import { parseRange } from './version-range.js'
import { caveatsFrom } from './frameworks/common.js'

function pickMajor<T extends { major: number; lts: boolean }>(rows: T[], raw: string | undefined, what: string): T {
  const range = raw ? parseRange(raw) : null
  if (raw && !range) throw new EnvctlError('INVALID_STACK', `${what}.version = "${raw}" is not a version or range`, { hint: `use e.g. "${rows[0]?.major ?? 20}"` })
  const fits = rows.filter((r) => (range ? range.test(String(r.major)) : r.lts)).sort((a, b) => b.major - a.major)
  if (!fits.length) {
    const known = rows.map((r) => r.major).join(', ')
    throw new EnvctlError('UNRESOLVABLE', `no ${what} release matches "${raw}" (the data knows ${known})`, { hint: `set ${what}.version to one of ${known}` })
  }
  return fits[0]
}

/** The OS of a language's official images (defaults.json languageBaseOs). */
function baseOs(matrix: Matrix, language: 'node' | 'java'): string {
  const row = matrix.defaults.languageBaseOs.find((r) => r.language === language)
  if (!row) throw new EnvctlError('UNEXPECTED', `data/matrix/defaults.json has no languageBaseOs entry for ${language}`, { hint: 'reinstall envctl, or repair the file (data/matrix/README.md)' })
  return row.os
}

export function resolveNode(spec: StackSpec, matrix: Matrix): { version: string; base: ResolvedBase; caveats: string[] } {
  const row = pickMajor(matrix.languages.node, spec.node?.version, 'node')
  return { version: String(row.major), base: { image: row.image, os: baseOs(matrix, 'node'), python: null }, caveats: caveatsFrom(row.image, row.confidence, ['image', 'lts']) }
}

export function resolveJava(spec: StackSpec, matrix: Matrix): { version: string; build: 'maven' | 'gradle' | null; base: ResolvedBase; caveats: string[] } {
  const row = pickMajor(matrix.languages.java, spec.java?.version, 'java') as (typeof matrix.languages.java)[number] & { mavenImage?: string; gradleImage?: string }
  const build = spec.java?.build ?? (spec.packages.maven.length ? 'maven' : null)
  const image = build === 'maven' ? row.mavenImage ?? row.image : build === 'gradle' ? row.gradleImage ?? row.image : row.image
  const field = build === 'maven' && row.mavenImage ? 'mavenImage' : build === 'gradle' && row.gradleImage ? 'gradleImage' : 'image'
  return { version: String(row.major), build, base: { image, os: baseOs(matrix, 'java'), python: null }, caveats: caveatsFrom(image, row.confidence, [field, 'lts']) }
}
