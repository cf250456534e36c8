import { mkdtempSync, writeFileSync, cpSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it, expect } from 'vitest'
import { DEFAULT_MATRIX_DIR, MATRIX_FILES, loadMatrix } from '../../../src/matrix/load.js'
import { EnvctlError } from '../../../src/errors/envctl-error.js'

describe('loadMatrix', () => {
  it('reads every part of the shipped data', () => {
    const m = loadMatrix()
    expect(m.index.version).toMatch(/^\d{4}\.\d{2}\.\d{2}$/)
    expect(m.index.version >= '2026.12.02').toBe(true)
    for (const key of Object.keys(MATRIX_FILES)) expect(m).toHaveProperty(key)
    expect(m.torch.releases.length).toBeGreaterThan(50)
  })

  it('caches per folder: a second call returns the same object', () => {
    expect(loadMatrix()).toBe(loadMatrix(DEFAULT_MATRIX_DIR))
  })

  it('reads another folder when given one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envctl-matrix-'))
    cpSync(DEFAULT_MATRIX_DIR, dir, { recursive: true })
    writeFileSync(join(dir, 'index.json'), JSON.stringify({ version: '2030.01.01', sources: { X: 'test' } }))
    expect(loadMatrix(dir).index.version).toBe('2030.01.01')
  })

  it('a missing or broken file is an EnvctlError naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'envctl-matrix-'))
    cpSync(DEFAULT_MATRIX_DIR, dir, { recursive: true })
    writeFileSync(join(dir, 'pytorch.json'), '{ not json')
    expect(() => loadMatrix(dir)).toThrow(EnvctlError)
    expect(() => loadMatrix(dir)).toThrow(/pytorch\.json/)
    expect(() => loadMatrix(join(dir, 'absent'))).toThrow(/index\.json/)
  })
})
