// Where an ssh:// engine really is, as `ssh` would find it: the URL's user and port win over ~/.ssh/config
// (HostName, User, Port, IdentityFile, ProxyJump), which wins over the defaults. Pure: the config's text and
// the local user come in; parsing is ssh-config's (npm), not ours.
import SSHConfig from 'ssh-config'
import { EnvctlError } from '../../errors/envctl-error.js'

export interface SshTarget {
  /** As the user wrote it (an alias of ~/.ssh/config, or a host name): for messages. */
  alias: string
  /** The name or address to connect to (HostName), and the name known_hosts lists it by. */
  hostName: string
  port: number
  user: string
  /** Explicit IdentityFile entries, `~` expanded; empty means OpenSSH's defaults. */
  identityFiles: string[]
  /** The first hop of ProxyJump, itself resolved; undefined for a direct connection. */
  jump?: SshTarget
}

export interface SshDestination {
  host: string
  port?: number
  user?: string
}

export interface SshLocal {
  /** ~/.ssh/config's text ('' without one). */
  configText: string
  home: string
  localUser: string
}

export function resolveSshTarget(dest: SshDestination, local: SshLocal, depth = 0): SshTarget {
  const config = SSHConfig.parse(local.configText)
  const c = config.compute(dest.host, { ignoreCase: true, matchExec: false } as never) as Record<string, string | string[] | undefined>
  const one = (k: string) => (Array.isArray(c[k]) ? (c[k] as string[])[0] : (c[k] as string | undefined))
  const hostName = (one('hostname') ?? dest.host).replace(/%h/g, dest.host)
  const user = dest.user ?? one('user') ?? local.localUser
  const port = dest.port ?? portOf(one('port'), dest.host)
  const tokens = (s: string) => expand(s, { home: local.home, host: hostName, user, localUser: local.localUser })
  const identityFiles = ([] as string[]).concat(c.identityfile ?? []).filter((f) => f.toLowerCase() !== 'none').map(tokens)
  const target: SshTarget = { alias: dest.host, hostName, port, user, identityFiles }
  const proxy = one('proxyjump')
  if (!proxy || proxy.toLowerCase() === 'none') return target
  if (depth > 4) throw new EnvctlError('ENGINE_UNREACHABLE', `ProxyJump in ~/.ssh/config loops through more than 5 hosts for ${dest.host}`, { hint: 'check the ProxyJump lines in ~/.ssh/config' })
  // With several hops, ssh goes through the first; its own ProxyJump (if any) chains on.
  return { ...target, jump: resolveSshTarget(parseJump(proxy.split(',')[0]!.trim()), local, depth + 1) }
}

/** "[user@]host[:port]" or "ssh://[user@]host[:port]", as ProxyJump and ssh -J take it. */
export function parseJump(spec: string): SshDestination {
  const url = new URL(spec.startsWith('ssh://') ? spec : `ssh://${spec}`)
  return { host: url.hostname.replace(/^\[|\]$/g, ''), ...(url.port ? { port: Number(url.port) } : {}), ...(url.username ? { user: decodeURIComponent(url.username) } : {}) }
}

function portOf(value: string | undefined, host: string): number {
  if (value === undefined) return 22
  const port = Number(value)
  if (Number.isInteger(port) && port > 0 && port < 65536) return port
  throw new EnvctlError('ENGINE_UNREACHABLE', `~/.ssh/config gives ${host} the port "${value}", which is not a port number`, { hint: `fix the Port line for ${host} in ~/.ssh/config` })
}

/** The tokens of ssh_config(5) that IdentityFile uses most: ~ %d %h %r %u %%. */
function expand(path: string, v: { home: string; host: string; user: string; localUser: string }): string {
  const withHome = path.startsWith('~/') ? `${v.home}${path.slice(1)}` : path
  return withHome.replace(/%([dhru%])/g, (_, t: string) => ({ d: v.home, h: v.host, r: v.user, u: v.localUser, '%': '%' })[t]!)
}
