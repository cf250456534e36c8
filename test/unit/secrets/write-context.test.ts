import { mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { writeContext } from '../../../src/project/write-context.js'

const mode = (p: string) => statSync(p).mode & 0o777

describe('envctl dockerfile -o with credentials', () => {
  it('writes the secrets folder beside the Dockerfile, readable by the user only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envctl-ctx-'))
    const written = writeContext(join(dir, 'Dockerfile'), 'FROM x\n', { 'envctl/pip-user.txt': 'a==1\n' }, { 'envctl-secrets/env.sh': "export PIP_INDEX_URL='http://u:p@h/'\n" })
    expect(written).toEqual([join(dir, 'Dockerfile'), join(dir, 'envctl/pip-user.txt'), join(dir, 'envctl-secrets/env.sh')])
    expect(mode(join(dir, 'envctl-secrets'))).toBe(0o700)
    expect(mode(join(dir, 'envctl-secrets/env.sh'))).toBe(0o600)
    expect(readFileSync(join(dir, 'envctl-secrets/env.sh'), 'utf8')).toContain('u:p@h')
  })
})
