import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { removeIfPresent, writePrivateFile } from '../../../src/files/private-file.js'

const mode = (p: string) => statSync(p).mode & 0o777

describe('writePrivateFile', () => {
  it('writes 0600 in a 0700 folder it makes, and narrows a folder that was wider', async () => {
    const root = mkdtempSync(join(tmpdir(), 'envctl-private-'))
    const fresh = join(root, 'a', 'b', 'secret')
    await writePrivateFile(fresh, 'x\n')
    expect([mode(fresh), mode(join(root, 'a', 'b')), readFileSync(fresh, 'utf8')]).toEqual([0o600, 0o700, 'x\n'])
    const wide = join(root, 'wide')
    mkdirSync(wide)
    chmodSync(wide, 0o777)
    await writePrivateFile(join(wide, 'secret'), 'y')
    expect([mode(wide), mode(join(wide, 'secret'))]).toEqual([0o700, 0o600])
  })

  it('removeIfPresent says whether there was a file, and throws on anything but a missing one', async () => {
    const root = mkdtempSync(join(tmpdir(), 'envctl-private-'))
    await writePrivateFile(join(root, 'f'), 'z')
    expect(await removeIfPresent(join(root, 'f'))).toBe(true)
    expect(await removeIfPresent(join(root, 'f'))).toBe(false)
    await expect(removeIfPresent(root)).rejects.toThrow()
  })
})
