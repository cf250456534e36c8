import { readFileSync } from 'node:fs'
import type { ResolvedStack } from '../../../src/resolvers/types.js'

/** A fresh copy of test/fixtures/render/<name>/resolved.json, safe to mutate. */
export function loadResolved(name: string): ResolvedStack {
  const url = new URL(`../../fixtures/render/${name}/resolved.json`, import.meta.url)
  return JSON.parse(readFileSync(url, 'utf8')) as ResolvedStack
}
