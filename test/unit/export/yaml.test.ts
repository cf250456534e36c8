import { describe, expect, it } from 'vitest'
import { toYaml, toYamlDocuments } from '../../../src/export/yaml.js'

describe('toYaml', () => {
  it('quotes every string, so none reads back as a number, boolean or null', () => {
    expect(toYaml({ a: '8080', b: 'yes', c: 'null', d: 'x: y # z', e: 'line\nbreak' })).toBe('a: "8080"\nb: "yes"\nc: "null"\nd: "x: y # z"\ne: "line\\nbreak"\n')
  })

  it('keeps numbers and booleans plain, quotes keys YAML 1.1 would read as booleans or that hold spaces', () => {
    expect(toYaml({ on: true, 'a b': 1, 'nvidia.com/gpu': -1 })).toBe('"on": true\n"a b": 1\nnvidia.com/gpu: -1\n')
  })

  it('nests mappings in sequences and writes empty collections inline', () => {
    expect(toYaml({ list: [{ name: 'x', v: [] }, 'y'], m: {} })).toBe('list:\n  - name: "x"\n    v: []\n  - "y"\nm: {}\n')
  })

  it('leaves out undefined keys and separates documents', () => {
    expect(toYamlDocuments([{ a: 1, b: undefined }, { c: null }])).toBe('---\na: 1\n---\nc: null\n')
  })
})
