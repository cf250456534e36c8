import { describe, expect, it } from 'vitest'
import { parseRegistry, pushTag } from '../../../src/export/publish.js'
import { failure } from '../../support/spec.js'

describe('--registry', () => {
  it.each([
    ['127.0.0.1:5000/dev', { host: '127.0.0.1:5000', prefix: 'dev' }],
    ['registry.example.com/team/ml', { host: 'registry.example.com', prefix: 'team/ml' }],
    ['localhost:5000', { host: 'localhost:5000', prefix: '' }],
    ['https://registry.example.com/team/', { host: 'registry.example.com', prefix: 'team' }],
  ])('%s is a host and a prefix', (value, expected) => {
    expect(parseRegistry(value)).toEqual(expected)
  })

  it.each(['team/sub', 'docker', 'registry.example.com/Team', 'registry.example.com/a//b'])('%s is a usage error (a first part that is no host would mean Docker Hub)', (value) => {
    expect(failure(() => parseRegistry(value))).toMatchObject({ code: 'USAGE', message: `--registry ${value} is not HOST[:PORT]/PREFIX` })
  })

  it('the pushed tag keeps the image name and content hash under the prefix', () => {
    expect(pushTag('envctl/shop:0123456789abcdef', '127.0.0.1:5000/dev')).toBe('127.0.0.1:5000/dev/shop:0123456789abcdef')
    expect(pushTag('envctl/shop:0123456789abcdef', 'registry.example.com')).toBe('registry.example.com/shop:0123456789abcdef')
  })
})
