/**
 * The guard that keeps command and integration tests off a stale dist/: a source newer than its output,
 * a missing output, or a newer tsconfig make dist/ stale.
 */
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { staleBundle, staleDist } from '../../support/fresh-dist.js'

describe('staleDist', () => {
  let repo: string

  /** A repo whose files have the given ages in seconds (older = larger). */
  function repoWith(files: Record<string, number>): void {
    repo = mkdtempSync(join(tmpdir(), 'envctl-dist-'))
    const now = Date.now() / 1000
    for (const [rel, age] of Object.entries(files)) {
      mkdirSync(dirname(join(repo, rel)), { recursive: true })
      writeFileSync(join(repo, rel), '\n')
      utimesSync(join(repo, rel), now - age, now - age)
    }
  }

  afterEach(() => rmSync(repo, { recursive: true, force: true }))

  const configs = { 'tsconfig.json': 100, 'tsconfig.build.json': 100 }

  it('is fresh when every output is newer than its source and the configs', () => {
    repoWith({ ...configs, 'src/a.ts': 50, 'src/b/c.ts': 50, 'src/types.d.ts': 1, 'dist/a.js': 10, 'dist/b/c.js': 10 })
    expect(staleDist(repo)).toBeUndefined()
  })

  it('names a source changed after its output was built', () => {
    repoWith({ ...configs, 'src/a.ts': 50, 'src/b/c.ts': 5, 'dist/a.js': 10, 'dist/b/c.js': 10 })
    expect(staleDist(repo)).toBe('src/b/c.ts changed after dist/b/c.js was built')
  })

  it('names a missing output', () => {
    repoWith({ ...configs, 'src/new.ts': 50 })
    expect(staleDist(repo)).toBe('dist/new.js is missing')
  })

  it('is stale when a tsconfig changed after the build', () => {
    repoWith({ 'tsconfig.json': 100, 'tsconfig.build.json': 5, 'src/a.ts': 50, 'dist/a.js': 10 })
    expect(staleDist(repo)).toBe('a tsconfig changed after dist/a.js was built')
  })

  it('is stale when the bundle bin/run.js loads is missing, or older than dist/ or the bundler', () => {
    repoWith({ 'dist/a.js': 10, 'scripts/bundle.mjs': 100 })
    expect(staleBundle(repo)).toBe('dist/bundle/envctl.cjs is missing')
    rmSync(repo, { recursive: true, force: true })
    repoWith({ 'dist/a.js': 10, 'dist/bundle/envctl.cjs': 20, 'scripts/bundle.mjs': 100 })
    expect(staleBundle(repo)).toBe('dist/a.js changed after dist/bundle/envctl.cjs was built')
    rmSync(repo, { recursive: true, force: true })
    repoWith({ 'dist/a.js': 10, 'dist/bundle/envctl.cjs': 5, 'scripts/bundle.mjs': 1 })
    expect(staleBundle(repo)).toBe('scripts/bundle.mjs changed after dist/bundle/envctl.cjs was built')
  })

  it('keeps a bundle newer than dist/ and the bundler', () => {
    repoWith({ 'dist/a.js': 10, 'dist/bundle/envctl.cjs': 5, 'scripts/bundle.mjs': 100, 'bin/bundle-loader.js': 100 })
    expect(staleBundle(repo)).toBeUndefined()
  })
})
