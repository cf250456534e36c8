import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import type { SchemaNode } from '../../../src/stack/schema-node.js'
import { STACK_SCHEMA } from '../../../src/stack/schema.js'
import { renderSchemaJson } from '../../../src/stack/schema-json.js'

const committed = fileURLToPath(new URL('../../../schema/envctl.schema.json', import.meta.url))

function nodes(node: SchemaNode, path = '(root)'): Array<[string, SchemaNode]> {
  const children = Object.entries(node.properties ?? {}).flatMap(([k, v]) => nodes(v, `${path}.${k}`))
  const items = node.items ? nodes(node.items, `${path}[]`) : []
  const values = node.additionalProperties ? nodes(node.additionalProperties, `${path}.*`) : []
  return [[path, node], ...children, ...items, ...values]
}

describe('stack schema', () => {
  it('schema/envctl.schema.json is generated from schema.ts (ENVCTL_UPDATE_SCHEMA=1 regenerates it)', () => {
    const fresh = renderSchemaJson()
    if (process.env.ENVCTL_UPDATE_SCHEMA) writeFileSync(committed, fresh)
    expect(readFileSync(committed, 'utf8')).toBe(fresh)
  })

  it('describes every key', () => {
    const undocumented = nodes(STACK_SCHEMA).filter(([, n]) => !n.description).map(([p]) => p)
    expect(undocumented).toEqual([])
  })

  it('closes every fixed table, so unknown keys are reported', () => {
    const open = nodes(STACK_SCHEMA).filter(([, n]) => n.properties && n.additionalProperties !== false).map(([p]) => p)
    expect(open).toEqual([])
  })

  it('publishes patterns that compile as regular expressions', () => {
    const patterns = nodes(STACK_SCHEMA).flatMap(([, n]) => (n.pattern ? [n.pattern] : []))
    expect(patterns.length).toBeGreaterThan(0)
    for (const pattern of patterns) expect(() => new RegExp(pattern)).not.toThrow()
  })
})
