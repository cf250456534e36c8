import { createHash } from 'node:crypto'

/** JSON with object keys sorted at every level, so equal values always hash equal. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => {
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
    }
    return v
  })
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}
