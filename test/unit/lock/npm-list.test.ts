import { describe, expect, it } from 'vitest'
import { parseNpmList } from '../../../src/lock/npm-list.js'

describe('parseNpmList', () => {
  it('keeps the packages the stack asked for, not the base image’s npm and corepack', () => {
    const text = JSON.stringify({ name: 'lib', dependencies: { npm: { version: '10.9.2' }, corepack: { version: '0.31.0' }, typescript: { version: '5.9.3', overridden: false }, '@anthropic-ai/sdk': { version: '0.60.0' } } })
    expect(parseNpmList(text, ['typescript', '@anthropic-ai/sdk'])).toEqual({ typescript: '5.9.3', '@anthropic-ai/sdk': '0.60.0' })
  })

  it('is null when npm printed no JSON', () => {
    expect(parseNpmList('', ['typescript'])).toBeNull()
  })
})
