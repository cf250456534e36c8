import { describe, expect, it } from 'vitest'
import { renderInitTemplate } from '../../../src/stack/template.js'
import { parseStackText } from '../../../src/stack/parse.js'
import { validateStackTable } from '../../../src/stack/validate.js'
import { STACK_SCHEMA } from '../../../src/stack/schema.js'

// Uncomments example lines (`# key = …`, `# [table]`), leaving the prose comments alone.
const uncomment = (text: string) => text.replace(/^# (?=\[|[a-z_]+ = )/gm, '')

describe('init template', () => {
  it('is a valid stack file as written', () => {
    const table = parseStackText(renderInitTemplate({ extends: 'pytorch' }), '/x/envctl.toml', 'envctl.toml').table
    expect(validateStackTable(table)).toEqual([])
    expect(table).toEqual({ extends: 'pytorch' })
  })

  it('writes the name when given', () => {
    const table = parseStackText(renderInitTemplate({ extends: './base.toml', name: 'api' }), '/x/envctl.toml', 'envctl.toml').table
    expect(table).toEqual({ extends: './base.toml', name: 'api' })
  })

  it('has a valid commented example of every section', () => {
    const table = parseStackText(uncomment(renderInitTemplate({ extends: 'pytorch' })), '/x/envctl.toml', 'envctl.toml').table
    expect(validateStackTable(table)).toEqual([])
    expect(Object.keys(table).sort()).toEqual(Object.keys(STACK_SCHEMA.properties!).sort())
  })
})
