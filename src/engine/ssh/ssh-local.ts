// The laptop's SSH files, read once at the edge: ~/.ssh/config, known_hosts (the user's and the system's),
// and the identity files (those the config names, else OpenSSH's defaults). Unreadable files count as absent,
// as they do for ssh; an identity file with a passphrase is skipped (the agent is where such keys belong).
import { readFileSync } from 'node:fs'
import { homedir, userInfo } from 'node:os'
import { join } from 'node:path'
import ssh2 from 'ssh2'
import type { SshLocal, SshTarget } from './ssh-target.js'

const DEFAULT_IDENTITIES = ['id_ed25519', 'id_ecdsa', 'id_rsa']

export interface SshCredentials {
  /** SSH_AUTH_SOCK. */
  agent?: string
  /** Private keys that parse without a passphrase, with their paths for messages. */
  keys: Array<{ path: string; key: Buffer }>
}

export function readSshLocal(): SshLocal {
  const home = homedir()
  return { home, localUser: userInfo().username, configText: readOr(join(home, '.ssh', 'config')) }
}

/** known_hosts lines: the user's, then /etc/ssh/ssh_known_hosts. */
export function readKnownHosts(home: string): string {
  return `${readOr(join(home, '.ssh', 'known_hosts'))}\n${readOr('/etc/ssh/ssh_known_hosts')}`
}

export function readCredentials(t: SshTarget, home: string, agent: string | undefined): SshCredentials {
  const paths = t.identityFiles.length > 0 ? t.identityFiles : DEFAULT_IDENTITIES.map((n) => join(home, '.ssh', n))
  const keys: SshCredentials['keys'] = []
  for (const path of paths) {
    const text = readOr(path)
    if (text && !(ssh2.utils.parseKey(text) instanceof Error)) keys.push({ path, key: Buffer.from(text) })
  }
  return { ...(agent ? { agent } : {}), keys }
}

function readOr(path: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return ''
  }
}
