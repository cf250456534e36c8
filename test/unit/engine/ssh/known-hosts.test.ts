import { createHash, createHmac, generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { checkHostKey, fingerprint, keyType } from '../../../../src/engine/ssh/known-hosts.js'

/** An ssh-ed25519 public key blob (string type, string key), as a server offers it. */
function ed25519Blob(): Buffer {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32)
  const str = (b: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, b.length]), b])
  return Buffer.concat([str(Buffer.from('ssh-ed25519')), str(raw)])
}
const line = (host: string, blob: Buffer) => `${host} ${keyType(blob)} ${blob.toString('base64')}`
const hashed = (name: string) => {
  const salt = Buffer.from('0123456789abcdefghij')
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`
}

describe('checkHostKey', () => {
  const key = ed25519Blob()
  const other = ed25519Blob()

  it.each([
    ['a plain name on port 22', line('gpu.example', key), 22],
    ['a comma list with an address', line('10.0.0.5,gpu.example', key), 22],
    ['[host]:port for another port', line('[gpu.example]:2222', key), 2222],
    ['a wildcard pattern', line('*.example', key), 22],
    ['a hashed name (HashKnownHosts)', line(hashed('gpu.example'), key), 22],
    ['a hashed [host]:port', line(hashed('[gpu.example]:2222'), key), 2222],
  ])('knows the key from %s', (_, text, port) => {
    expect(checkHostKey(`# comment\n\n${text}\n`, 'gpu.example', port, key)).toEqual({ kind: 'known' })
  })

  it('does not take a port-22 line for another port, or a negated pattern', () => {
    expect(checkHostKey(line('gpu.example', key), 'gpu.example', 2222, key)).toEqual({ kind: 'unknown' })
    expect(checkHostKey(line('*.example,!gpu.example', key), 'gpu.example', 22, key)).toEqual({ kind: 'unknown' })
  })

  it('calls another key of the same type for the host changed, with its line', () => {
    expect(checkHostKey(`other.example ${keyType(key)} AAAA\n${line('gpu.example', other)}\n`, 'gpu.example', 22, key)).toEqual({ kind: 'changed', line: 2 })
  })

  it('refuses a @revoked key even when it is also listed', () => {
    expect(checkHostKey(`${line('gpu.example', key)}\n@revoked ${line('*', key)}\n`, 'gpu.example', 22, key)).toEqual({ kind: 'revoked', line: 2 })
  })

  it('prints the fingerprint as OpenSSH does: SHA256 and unpadded base64', () => {
    const fp = fingerprint(key)
    expect(fp).toBe(`SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`)
    expect(fp).not.toMatch(/=$/)
  })
})
