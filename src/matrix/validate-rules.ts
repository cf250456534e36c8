import type { Confidence } from './types.js'

/** "8.6", "12.0": a compute capability or a CPython minor. */
export const MAJOR_MINOR = /^\d+\.\d+$/

/** "9.0a", "10.3f": arch-specific and family targets are allowed where the data lists nvcc targets. */
export const ARCH_TARGET = /^\d+\.\d+[af]?$/

const MARKS: readonly Confidence[] = ['confirmed', 'third-party', 'inferred', 'unconfirmed']

/** Values that occur more than once, each reported once. */
export function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>()
  const dup = new Set<string>()
  for (const v of values) (seen.has(v) ? dup : seen).add(v)
  return [...dup]
}

/** One problem per list entry that does not match the pattern. */
export function badEntries(where: string, field: string, values: readonly string[] | undefined, re: RegExp): string[] {
  return (values ?? []).filter((v) => !re.test(v)).map((v) => `${where}: ${field} entry "${v}" is not in ${re.source} form`)
}

/** One problem per duplicated key. */
export function duplicateProblems(file: string, what: string, values: readonly string[]): string[] {
  return duplicates(values).map((v) => `${file}: ${what} ${v} appears more than once`)
}

/** Every `confidence` map anywhere in a value must use the four known marks. */
export function badConfidence(file: string, value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => badConfidence(file, v, `${path}[${i}]`))
  if (!value || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([key, v]) =>
    key === 'confidence' && v && typeof v === 'object'
      ? Object.entries(v).filter(([, mark]) => !MARKS.includes(mark as Confidence)).map(([f, mark]) => `${file}: ${path}.confidence.${f} = "${String(mark)}" is not a known mark`)
      : badConfidence(file, v, `${path}.${key}`),
  )
}
