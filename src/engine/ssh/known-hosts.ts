// ~/.ssh/known_hosts as OpenSSH reads it (sshd(8) "SSH_KNOWN_HOSTS FILE FORMAT"): plain and hashed (|1|salt|hmac)
// host names, "[host]:port" for ports other than 22, patterns with * ? and !negation, @revoked lines. Pure: the
// file's text comes in, a verdict goes out.
import { createHash, createHmac } from 'node:crypto'

export type HostKeyVerdict =
  | { kind: 'known' }
  /** The host is listed, with keys of the same type, none of them this one: possibly an attack. */
  | { kind: 'changed'; line: number }
  | { kind: 'revoked'; line: number }
  | { kind: 'unknown' }

interface Entry {
  marker?: string
  hosts: string
  type: string
  key: string
  line: number
}

/** How the host is written in known_hosts: "host" on port 22, "[host]:port" otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`
}

/** OpenSSH's fingerprint of a key blob: "SHA256:" and unpadded base64. */
export function fingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`
}

/** The SSH key type named inside a key blob (its first string), e.g. "ssh-ed25519". */
export function keyType(keyBlob: Buffer): string {
  const len = keyBlob.readUInt32BE(0)
  return keyBlob.subarray(4, 4 + len).toString('latin1')
}

export function checkHostKey(text: string, host: string, port: number, keyBlob: Buffer): HostKeyVerdict {
  const name = knownHostsName(host, port)
  const key = keyBlob.toString('base64')
  const type = keyType(keyBlob)
  const entries = parse(text).filter((e) => e.marker !== '@cert-authority' && hostMatches(e.hosts, name))
  const revoked = entries.find((e) => e.marker === '@revoked' && e.key === key)
  if (revoked) return { kind: 'revoked', line: revoked.line }
  const plain = entries.filter((e) => !e.marker)
  if (plain.some((e) => e.key === key)) return { kind: 'known' }
  const sameType = plain.find((e) => e.type === type)
  return sameType ? { kind: 'changed', line: sameType.line } : { kind: 'unknown' }
}

function parse(text: string): Entry[] {
  const entries: Entry[] = []
  text.split('\n').forEach((raw, i) => {
    const fields = raw.trim().split(/\s+/)
    if (!fields[0] || fields[0].startsWith('#')) return
    const marker = fields[0].startsWith('@') ? fields.shift() : undefined
    const [hosts, type, key] = fields
    if (hosts && type && key) entries.push({ marker, hosts, type, key, line: i + 1 })
  })
  return entries
}

/** A comma list of patterns (or one hashed name): a negated match wins over any positive one. */
function hostMatches(hosts: string, name: string): boolean {
  if (hosts.startsWith('|1|')) return hashedMatches(hosts, name)
  let matched = false
  for (const pattern of hosts.split(',')) {
    const negated = pattern.startsWith('!')
    if (!globMatches(negated ? pattern.slice(1) : pattern, name)) continue
    if (negated) return false
    matched = true
  }
  return matched
}

/** "|1|base64 salt|base64 HMAC-SHA1(salt, name)", as HashKnownHosts writes it. */
function hashedMatches(hosts: string, name: string): boolean {
  const [, , salt, hash] = hosts.split('|')
  if (!salt || !hash) return false
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash
}

function globMatches(pattern: string, name: string): boolean {
  const re = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${re}$`, 'i').test(name)
}
