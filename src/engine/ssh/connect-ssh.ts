// An ssh:// engine's connection, made on first use and shared by everything in this process that talks to
// that engine (the engine client and its port forwards).
import { readCredentials, readKnownHosts, readSshLocal } from './ssh-local.js'
import { SshSession } from './ssh-session.js'
import { resolveSshTarget, type SshDestination } from './ssh-target.js'

const sessions = new Map<string, SshSession>()

export function sshSession(dest: SshDestination, agentSocket: string | undefined): SshSession {
  const key = `${dest.user ?? ''}@${dest.host}:${dest.port ?? ''}`
  let session = sessions.get(key)
  if (!session) {
    const local = readSshLocal()
    const target = resolveSshTarget(dest, local)
    session = new SshSession(target, { knownHosts: readKnownHosts(local.home), credentials: (t) => readCredentials(t, local.home, agentSocket) })
    sessions.set(key, session)
  }
  return session
}
