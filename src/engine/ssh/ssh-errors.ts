// What goes wrong on the way to an engine over SSH, each said with its remedy (all ENGINE_UNREACHABLE, exit 10).
import { EnvctlError } from '../../errors/envctl-error.js'
import type { SshTarget } from './ssh-target.js'

/** `ssh` arguments that reach the same place by hand, for remedies. */
export function sshCommand(t: SshTarget): string {
  return `ssh ${t.jump ? `-J ${t.jump.user}@${t.jump.hostName}:${t.jump.port} ` : ''}${t.port === 22 ? '' : `-p ${t.port} `}${t.user}@${t.hostName}`
}

export function where(t: SshTarget): string {
  const alias = t.alias === t.hostName ? '' : ` (${t.alias} in ~/.ssh/config)`
  return `${t.user}@${t.hostName}:${t.port}${alias}`
}

export function unknownHostKey(t: SshTarget, type: string, fp: string): EnvctlError {
  const scan = `ssh-keyscan ${t.port === 22 ? '' : `-p ${t.port} `}-t ${type} ${t.hostName} >> ~/.ssh/known_hosts`
  return new EnvctlError('ENGINE_UNREACHABLE', `the SSH host key of ${where(t)} is not in ~/.ssh/known_hosts: ${type} ${fp}; envctl does not connect to a host it cannot verify`, {
    hint: `check that fingerprint with the host's administrator, then accept it once: ${sshCommand(t)} true (answer yes), or ${scan}`,
  })
}

export function changedHostKey(t: SshTarget, type: string, fp: string, line: number, revoked: boolean): EnvctlError {
  const what = revoked ? `is REVOKED (@revoked, ~/.ssh/known_hosts:${line})` : `has CHANGED: ~/.ssh/known_hosts:${line} lists another ${type} key`
  return new EnvctlError('ENGINE_UNREACHABLE', `the SSH host key of ${where(t)} ${what}; it offered ${fp}. Someone may be intercepting the connection, or the host was reinstalled`, {
    hint: `do not connect until the host's administrator confirms the new key; then remove the old one (ssh-keygen -R ${t.port === 22 ? t.hostName : `'[${t.hostName}]:${t.port}'`}) and accept the new one (${sshCommand(t)} true)`,
  })
}

export function authFailed(t: SshTarget, tried: string[], cause: unknown): EnvctlError {
  return new EnvctlError('ENGINE_UNREACHABLE', `${where(t)} refused every key envctl offered (${tried.join(', ') || 'none: no SSH agent and no identity file'})`, {
    hint: `load your key into the agent (ssh-add), or name it with IdentityFile for ${t.alias} in ~/.ssh/config; check with: ${sshCommand(t)} docker version`,
    cause,
  })
}

export function unreachable(t: SshTarget, err: NodeJS.ErrnoException & { level?: string }): EnvctlError {
  const why = err.code === 'ECONNREFUSED' ? 'connection refused (no SSH server on that port?)'
    : err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN' ? 'the host name does not resolve'
    : err.level === 'client-timeout' || err.code === 'ETIMEDOUT' ? 'no answer in time'
    : err.message
  return new EnvctlError('ENGINE_UNREACHABLE', `cannot reach the SSH server ${where(t)}: ${why}`, {
    hint: `check the host and port (ssh://user@host:port, or HostName/Port in ~/.ssh/config) and that this works: ${sshCommand(t)} true`,
    cause: err,
  })
}

export function noRemoteDocker(t: SshTarget, code: number | null, stderr: string): EnvctlError {
  const said = stderr.trim().split('\n').slice(-2).join(' ') || `exit status ${code}`
  const why = code === 127 ? 'there is no docker command there' : `"docker system dial-stdio" failed there (${said})`
  return new EnvctlError('ENGINE_UNREACHABLE', `${where(t)} answers SSH, but ${why}${code === 127 ? ` (${said})` : ''}`, {
    hint: `install Docker on that host and let ${t.user} use it (the docker group); check with: ${sshCommand(t)} docker version`,
  })
}
