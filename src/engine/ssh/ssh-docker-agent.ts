// The http.Agent dockerode talks through on an ssh:// engine: each of its sockets is a channel of the one
// SshSession. Kept-alive, so a command's many API calls reuse a few channels; at most 8 at once, below
// sshd's default MaxSessions of 10 per connection.
import { Agent } from 'node:http'
import type { Duplex } from 'node:stream'
import type { SshSession } from './ssh-session.js'

export function sshDockerAgent(session: SshSession): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 8 })
  // Node's Agent accepts a socket given later through the callback (and none returned).
  agent.createConnection = ((_opts: unknown, done: (err: Error | null, socket?: Duplex) => void) => {
    session.dialDocker().then((s) => done(null, s), (err: Error) => done(err))
    return undefined
  }) as unknown as Agent['createConnection']
  return agent
}
