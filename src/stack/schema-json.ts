import { STACK_SCHEMA } from './schema.js'

/** schema/envctl.schema.json: the stack file schema for editors, generated from schema.ts. */
export function renderSchemaJson(): string {
  const document = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'envctl stack file',
    ...STACK_SCHEMA,
  }
  return `${JSON.stringify(document, null, 2)}\n`
}
