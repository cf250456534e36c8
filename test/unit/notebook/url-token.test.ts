import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { newToken } from '../../../src/notebook/token.js'
import { tokenFilePath, writeTokenFile } from '../../../src/notebook/token-file.js'
import { hiddenUrl, notebookUrl, statusUrl } from '../../../src/notebook/url.js'
import { stateDir } from '../../../src/commands/state-dir.js'

describe('newToken', () => {
  it('is 256 bits of the given random source, in hex', () => {
    expect(newToken((n) => Buffer.alloc(n, 0xab))).toBe('ab'.repeat(32))
  })

  it('differs every time', () => {
    const a = newToken()
    expect(a).toMatch(/^[0-9a-f]{64}$/)
    expect(newToken()).not.toBe(a)
  })
})

describe('URLs', () => {
  it('open the lab with the token, hide it in lists, and check readiness with it', () => {
    expect(notebookUrl(8888, 'abc')).toBe('http://127.0.0.1:8888/lab?token=abc')
    expect(hiddenUrl(8889)).toBe('http://127.0.0.1:8889/lab?token=***')
    expect(statusUrl(8890, 'a b')).toBe('http://127.0.0.1:8890/api/status?token=a%20b')
  })
})

describe('stateDir', () => {
  it('follows XDG_STATE_HOME when absolute, else ~/.local/state', () => {
    expect(stateDir({ XDG_STATE_HOME: '/x/state', HOME: '/home/u' }, '/ignored')).toBe('/x/state/envctl')
    expect(stateDir({ XDG_STATE_HOME: 'relative', HOME: '/home/u' }, '/ignored')).toBe('/home/u/.local/state/envctl')
    expect(stateDir({}, '/home/v')).toBe('/home/v/.local/state/envctl')
  })
})

describe('token file', () => {
  it('is readable by the user only, in a folder only the user can enter', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'envctl-token-'))
    try {
      const path = tokenFilePath(join(dir, 'envctl'), 'proj')
      expect(path).toBe(join(dir, 'envctl', 'notebooks', 'proj.token'))
      await writeTokenFile(path, 'abc')
      expect(await readFile(path, 'utf8')).toBe('abc\n')
      expect((await stat(path)).mode & 0o777).toBe(0o600)
      expect((await stat(join(dir, 'envctl', 'notebooks'))).mode & 0o777).toBe(0o700)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })

  it('tightens an existing file that others could read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'envctl-token-'))
    try {
      const path = tokenFilePath(dir, 'proj')
      await writeTokenFile(path, 'old')
      await chmod(path, 0o644)
      await writeTokenFile(path, 'new')
      expect(await readFile(path, 'utf8')).toBe('new\n')
      expect((await stat(path)).mode & 0o777).toBe(0o600)
    } finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
