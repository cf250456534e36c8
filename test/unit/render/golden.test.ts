import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { ResolvedStack } from '../../../src/resolvers/types.js'
import { renderDockerfile } from '../../../src/render/render-dockerfile.js'

const FIXTURES = fileURLToPath(new URL('../../fixtures/render/', import.meta.url))
// The only way goldens change: `npm run golden:update`, then review the diff.
const UPDATE = process.env.ENVCTL_UPDATE_GOLDEN === '1'

const cases = readdirSync(FIXTURES, { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort()

describe('renderDockerfile golden files', () => {
  it('has fixtures', () => {
    expect(cases.length).toBeGreaterThan(0)
  })

  it.each(cases)('%s', (name) => {
    const resolved = JSON.parse(readFileSync(join(FIXTURES, name, 'resolved.json'), 'utf8')) as ResolvedStack
    const expectedPath = join(FIXTURES, name, 'expected.Dockerfile')
    const actual = renderDockerfile(resolved)
    if (UPDATE) writeFileSync(expectedPath, actual)
    expect(actual).toBe(readFileSync(expectedPath, 'utf8'))
  })
})
