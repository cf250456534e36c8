import { show } from './characters.js'

/**
 * Sizes (`run.shm_size`): a number, optionally with a fraction, then an optional unit k, m, g or t (powers of
 * 1024, case-insensitive) and an optional b — "8g", "512m", "1.5g", "2GB", "65536". No spaces. The one grammar
 * for the validator, the JSON schema and the container plan.
 */
export const SIZE = /^(\d+(?:\.\d+)?)([kmgtKMGT]?)[bB]?$/

const UNITS = ' kmgt'

/** The size in bytes, or why the text is not a size. */
export function parseSize(value: string): { bytes: number } | { problem: string } {
  const m = SIZE.exec(value)
  if (!m) return { problem: `${show(value)} is not a size such as "8g", "512m" or "1.5g"` }
  const bytes = Math.round(Number(m[1]) * 1024 ** UNITS.indexOf((m[2] || ' ').toLowerCase()))
  if (bytes < 1) return { problem: `size ${show(value)} is zero; write a size such as "64m"` }
  return Number.isSafeInteger(bytes) ? { bytes } : { problem: `size ${show(value)} is too large` }
}

export function checkSize(value: string): string | undefined {
  const parsed = parseSize(value)
  return 'problem' in parsed ? parsed.problem : undefined
}
