/**
 * An SSH server for a remote-mode side engine (side-engine.ts, `ssh: true`): Debian's openssh-server, started
 * with nsenter in the engine's network namespace on port 2222, with a host key and a client key made here by
 * ssh-keygen. The remote user (envctl-ci, in the docker group) reaches that engine's dockerd, not the CI
 * engine's: sshd's SetEnv gives every session DOCKER_HOST=the side engine's socket, which is what `docker
 * system dial-stdio` on the far side connects to. sshd's VERBOSE log says each connection it accepts.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import { promisify } from 'node:util'

const run = promisify(execFile)
export const SSHD = '/usr/sbin/sshd'

export interface SshHostSpec {
  dir: string
  address: string
  nsPid: number
  dockerSocket: string
  user: string
  /** A second user who may log in but finds no docker command there (PATH=/nonexistent). */
  noDockerUser?: string
}

export class SshTestHost {
  readonly port = 2222
  private child: ChildProcess | null = null

  private constructor(readonly spec: SshHostSpec, readonly dir: string) {}

  static async start(spec: SshHostSpec): Promise<SshTestHost> {
    const host = new SshTestHost(spec, join(spec.dir, 'ssh'))
    await host.prepare()
    await host.launch()
    return host
  }

  /** `ssh://user@address:2222`. */
  get url(): string {
    return `ssh://${this.spec.user}@${this.spec.address}:${this.port}`
  }

  /** The client's private key (readable by anyone: the test copies it where the CLI's user finds it). */
  get clientKey(): string {
    return join(this.dir, 'id_ed25519')
  }

  /** The known_hosts line for this host, as `ssh` would write it. */
  async knownHostsLine(): Promise<string> {
    const pub = (await readFile(join(this.dir, 'host_ed25519.pub'), 'utf8')).trim().split(/\s+/).slice(0, 2).join(' ')
    return `[${this.spec.address}]:${this.port} ${pub}\n`
  }

  /** How many connections sshd has accepted (authenticated) so far. */
  async acceptedConnections(): Promise<number> {
    const log = await readFile(this.logFile, 'utf8').catch(() => '')
    return log.split('\n').filter((l) => /Accepted publickey for /.test(l)).length
  }

  logTail(lines = 15): string {
    try {
      return readFileSync(this.logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
    } catch {
      return '(no log)'
    }
  }

  get logFile(): string {
    return join(this.dir, 'sshd.log')
  }

  async stop(): Promise<void> {
    const child = this.child
    if (!child) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    // sshd leaves its sessions running when the listener stops: a client that went away without closing
    // (a killed forwarder) would keep one, with its `docker system dial-stdio`, until TCP gives up.
    const sessions = child.pid ? descendants(child.pid) : []
    child.kill('SIGTERM')
    for (const pid of sessions) killQuietly(pid)
    await Promise.race([exited, delay(5000)])
    this.child = null
  }

  private async prepare(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o755 })
    await chmod(this.dir, 0o755)
    await mkdir('/run/sshd', { recursive: true, mode: 0o755 })
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'envctl-test-host', '-f', join(this.dir, 'host_ed25519')])
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'envctl-test-client', '-f', this.clientKey])
    await chmod(this.clientKey, 0o644)
    await writeFile(join(this.dir, 'authorized_keys'), await readFile(`${this.clientKey}.pub`), { mode: 0o644 })
    await writeFile(join(this.dir, 'sshd_config'), this.config())
  }

  private config(): string {
    return [
      `Port ${this.port}`,
      `ListenAddress ${this.spec.address}`,
      `HostKey ${join(this.dir, 'host_ed25519')}`,
      `AuthorizedKeysFile ${join(this.dir, 'authorized_keys')}`,
      `PidFile ${join(this.dir, 'sshd.pid')}`,
      `AllowUsers ${[this.spec.user, this.spec.noDockerUser ?? ''].join(' ').trim()}`,
      'UsePAM no',
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'AllowTcpForwarding yes',
      'LogLevel VERBOSE',
      `SetEnv DOCKER_HOST=unix://${this.spec.dockerSocket}`,
      ...(this.spec.noDockerUser ? [`Match User ${this.spec.noDockerUser}`, '  SetEnv PATH=/nonexistent'] : []),
      '',
    ].join('\n')
  }

  private async launch(): Promise<void> {
    const args = ['--net=/proc/' + this.spec.nsPid + '/ns/net', '--', SSHD, '-D', '-f', join(this.dir, 'sshd_config'), '-E', this.logFile]
    this.child = spawn('nsenter', args, { stdio: 'ignore' })
    const pidFile = join(this.dir, 'sshd.pid')
    for (let i = 0; i < 100 && !existsSync(pidFile); i++) {
      if (this.child.exitCode !== null) break
      await delay(50)
    }
    if (!existsSync(pidFile)) throw new Error(`sshd did not start:\n${await readFile(this.logFile, 'utf8').catch(() => '(no log)')}`)
  }
}

/** Every process below `pid`, read from /proc (children before their own children). */
function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      // The command name in field 2 may hold spaces and parentheses: the parent pid follows its last ')'.
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
      parentOf.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]))
    } catch {
      // gone between readdir and read
    }
  }
  const out: number[] = []
  const walk = (p: number) => {
    for (const [child, parent] of parentOf) if (parent === p) (out.push(child), walk(child))
  }
  walk(pid)
  return out
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL')
  } catch {
    // already gone
  }
}
