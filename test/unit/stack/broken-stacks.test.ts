import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadStack } from '../../../src/stack/load.js'
import { caught, renderError } from './helpers.js'

// The error corpus: each broken stack file next to the exact message a user sees for it.
// Regenerate with ENVCTL_UPDATE_SNAPSHOTS=1 and review the diff of the .expected.txt files.
const dir = fileURLToPath(new URL('../../fixtures/broken-stacks/', import.meta.url))
const files = readdirSync(dir).filter((f) => f.endsWith('.toml')).sort()

function render(file: string) {
  const err = caught(() => loadStack(file, { cwd: dir }))
  return { err, text: `${renderError(err)}\n` }
}

describe('broken stacks corpus', () => {
  it('has at least 12 cases', () => {
    expect(files.length).toBeGreaterThanOrEqual(12)
  })

  it.each(files)('%s', (file) => {
    const { err, text } = render(file)
    const expectedPath = `${dir}${file.replace(/\.toml$/, '.expected.txt')}`
    if (process.env.ENVCTL_UPDATE_SNAPSHOTS) writeFileSync(expectedPath, text)
    expect(err.code).toBe('INVALID_STACK')
    expect(err.exitCode).toBe(2)
    for (const p of err.problems) expect(p.location?.line, p.message).toBeGreaterThan(0)
    expect(existsSync(expectedPath), `${expectedPath} missing: run with ENVCTL_UPDATE_SNAPSHOTS=1`).toBe(true)
    expect(text).toBe(readFileSync(expectedPath, 'utf8'))
  })

  it('reports all three problems of one file at once, in file order', () => {
    const { err } = render('multiple-problems.toml')
    expect(err.problems.map((p) => [p.location?.line, p.location?.keyPath])).toEqual([
      [5, 'gpu.mode'],
      [8, 'packages.pip[1]'],
      [12, 'env.9LIVES'],
    ])
  })

  it('names the file, line, column and key path of every problem', () => {
    const { text } = render('unknown-key-typo.toml')
    expect(text).toContain('unknown-key-typo.toml:7:1: unknown key `moode`; did you mean `mode`? (gpu.moode)')
  })
})
