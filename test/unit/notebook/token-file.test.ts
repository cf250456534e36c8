import { mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { removeTokenFile, tokenFilePath, writeTokenFile } from '../../../src/notebook/token-file.js'

const mode = (p: string) => statSync(p).mode & 0o777

describe('the notebook token file', () => {
  it('narrows a folder that existed before to 0700, and writes the file 0600', async () => {
    const state = mkdtempSync(join(tmpdir(), 'envctl-state-'))
    mkdirSync(join(state, 'notebooks'), { mode: 0o755 })
    const path = tokenFilePath(state, 'demo')
    await writeTokenFile(path, 'tok')
    expect(mode(join(state, 'notebooks'))).toBe(0o700)
    expect(mode(path)).toBe(0o600)
    expect(readFileSync(path, 'utf8')).toBe('tok\n')
  })

  it('is removed (down), and a missing one is not an error', async () => {
    const state = mkdtempSync(join(tmpdir(), 'envctl-state-'))
    const path = tokenFilePath(state, 'demo')
    await writeTokenFile(path, 'tok')
    expect(await removeTokenFile(path)).toBe(true)
    expect(() => statSync(path)).toThrow(/ENOENT/)
    expect(await removeTokenFile(path)).toBe(false)
  })
})
