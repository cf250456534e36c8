// ONE SSH connection per envctl process and engine, carrying every Docker API call and every port forward
// as a channel (docker-modem's own ssh agent opens a connection per call, which sshd's MaxStartups throttles).
// Its TCP socket keeps the process alive only while a channel is in use, so a command ends when its work does.
import { connect as tcpConnect, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import ssh2 from 'ssh2'
import { EnvctlError } from '../../errors/envctl-error.js'
import { dialStream } from './dial-stream.js'
import { checkHostKey, fingerprint, keyType } from './known-hosts.js'
import { authFailed, changedHostKey, noRemoteDocker, unknownHostKey, unreachable } from './ssh-errors.js'
import type { SshCredentials } from './ssh-local.js'
import type { SshTarget } from './ssh-target.js'

export interface SshFiles {
  knownHosts: string
  credentials: (t: SshTarget) => SshCredentials
}

export class SshSession {
  private client: Promise<ssh2.Client> | undefined
  private socket: Socket | undefined
  private inUse = 0

  constructor(readonly target: SshTarget, private readonly files: SshFiles) {}

  /** A channel to the remote engine's API: `docker system dial-stdio`, as the docker CLI does it. */
  dialDocker(): Promise<Duplex> {
    const exec = (client: ssh2.Client) => new Promise<ssh2.ClientChannel>((resolve, reject) => client.exec('docker system dial-stdio', (err, s) => (err ? reject(err) : resolve(s))))
    return this.opening(async (client) => dialStream(await exec(client), (code, stderr) => noRemoteDocker(this.target, code, stderr)))
  }

  /** A channel to 127.0.0.1:port on the engine's host (a published port, the notebook). */
  forward(port: number): Promise<Duplex> {
    return this.opening((client) => new Promise((resolve, reject) => client.forwardOut('127.0.0.1', 0, '127.0.0.1', port, (err, s) => (err ? reject(err) : resolve(s)))))
  }

  end(): void {
    void this.client?.then((c) => c.end(), () => undefined)
  }

  private connect(): Promise<ssh2.Client> {
    // A connection that closes (the host rebooted, a long idle) is opened again by the next call.
    this.client ??= this.open(this.target, undefined).then((c) => c.once('close', () => (this.client = undefined)))
    return this.client
  }

  /** Connects to t, through its jump host's channel when it has one; every hop's host key is checked. */
  private async open(t: SshTarget, via: ssh2.Client | undefined): Promise<ssh2.Client> {
    if (t.jump && !via) return this.open(t, await this.open(t.jump, undefined))
    const sock = via ? await forwardTo(via, t) : this.tcp(t)
    const client = new ssh2.Client()
    const creds = this.files.credentials(t)
    let refused: EnvctlError | undefined
    const hostVerifier = (key: Buffer): boolean => {
      refused = verdictError(t, key, this.files.knownHosts)
      return refused === undefined
    }
    const authHandler = [
      ...(creds.agent ? [{ type: 'agent' as const, username: t.user, agent: creds.agent }] : []),
      ...creds.keys.map((k) => ({ type: 'publickey' as const, username: t.user, key: k.key })),
    ]
    const tried = [...(creds.agent ? ['the SSH agent (SSH_AUTH_SOCK)'] : []), ...creds.keys.map((k) => k.path)]
    return new Promise((resolve, reject) => {
      client.once('ready', () => {
        // Later failures reach the channels in use (their requests fail); the next call connects again.
        client.on('error', noop)
        resolve(client)
      })
      client.once('error', (err: Error & { level?: string }) => {
        if (refused) reject(refused)
        else if (err.level === 'client-authentication') reject(authFailed(t, tried, err))
        else reject(unreachable(t, err))
      })
      client.connect({ sock, username: t.user, hostVerifier, authHandler, readyTimeout: 20_000 })
    })
  }

  private tcp(t: SshTarget): Socket {
    this.socket = tcpConnect({ host: t.hostName, port: t.port })
    return this.socket
  }

  /**
   * Opens a channel, counted as in use from the moment it is asked for: the TCP socket is referenced (keeps
   * the process alive) only while some channel is opening or in use. http's agent unrefs a channel it keeps idle.
   */
  private async opening(open: (c: ssh2.Client) => Promise<Duplex>): Promise<Duplex> {
    let holding = false
    const hold = (on: boolean) => {
      if (on === holding) return
      holding = on
      this.inUse += on ? 1 : -1
      if (this.inUse > 0) this.socket?.ref()
      else this.socket?.unref()
    }
    hold(true)
    try {
      const stream = await open(await this.connect())
      stream.once('close', () => hold(false))
      return Object.assign(stream, { ref: () => hold(true), unref: () => hold(false), setKeepAlive: noop, setNoDelay: noop, setTimeout: noop })
    } catch (err) {
      hold(false)
      throw err
    }
  }
}

function noop(): void {}

function forwardTo(via: ssh2.Client, t: SshTarget): Promise<Duplex> {
  return new Promise((resolve, reject) =>
    via.forwardOut('127.0.0.1', 0, t.hostName, t.port, (err, s) => (err ? reject(unreachable(t, Object.assign(err, { code: undefined }))) : resolve(s))),
  )
}

function verdictError(t: SshTarget, key: Buffer, knownHosts: string): EnvctlError | undefined {
  const verdict = checkHostKey(knownHosts, t.hostName, t.port, key)
  const [type, fp] = [keyType(key), fingerprint(key)]
  if (verdict.kind === 'known') return undefined
  if (verdict.kind === 'unknown') return unknownHostKey(t, type, fp)
  return changedHostKey(t, type, fp, verdict.line, verdict.kind === 'revoked')
}
