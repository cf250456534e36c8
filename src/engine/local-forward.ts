// Listens on 127.0.0.1 here for each port of the engine's host and carries every connection through a channel
// the engine opens (an ssh:// engine's tunnel). The same port number here when it is free, else any free one.
import { createServer, type Server, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'

export interface PortMapping {
  /** The port on 127.0.0.1 of the engine's host. */
  remote: number
  /** The port on 127.0.0.1 here. */
  local: number
}

export interface Forwarding {
  mappings: PortMapping[]
  close(): Promise<void>
}

export async function forwardPorts(open: (port: number) => Promise<Duplex>, remotePorts: readonly number[]): Promise<Forwarding> {
  const servers: Server[] = []
  const mappings: PortMapping[] = []
  // Closing a forward cuts its connections too: a kept-alive one must not outlive it.
  const open_ = new Set<Socket>()
  try {
    for (const remote of remotePorts) {
      // Half-open: a client that ends its side still gets the answer, as with a direct connection.
      const server = createServer({ allowHalfOpen: true }, (sock) => {
        open_.add(sock)
        sock.once('close', () => open_.delete(sock))
        carry(sock, open(remote))
      })
      const local = await listen(server, remote).catch(() => listen(server, 0))
      servers.push(server)
      mappings.push({ remote, local })
    }
  } catch (err) {
    await closeAll(servers)
    throw err
  }
  const close = () => {
    const closed = closeAll(servers)
    for (const sock of open_) sock.destroy()
    return closed
  }
  return { mappings, close }
}

/**
 * Every channel is closed once its connection here is: an ssh2 channel says 'close' (and releases the SSH
 * connection, which keeps the process alive while a channel is in use) only after its readable side has
 * ended, so it is drained after the local side went away, and one that opens after that is closed at once.
 */
function carry(sock: Socket, channel: Promise<Duplex>): void {
  let ch: Duplex | undefined
  let gone = false
  const release = (c: Duplex) => {
    // Unpiped first: the pipe's own unpipe on close would pause it again after resume().
    c.unpipe()
    c.destroy()
    c.resume()
  }
  sock.on('error', () => sock.destroy())
  sock.once('close', () => {
    gone = true
    if (ch) release(ch)
  })
  channel.then(
    (c) => {
      ch = c
      c.on('error', () => sock.destroy())
      if (gone) return release(c)
      c.on('close', () => sock.destroy())
      sock.pipe(c).pipe(sock)
    },
    () => sock.destroy(),
  )
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', () => {
      server.removeListener('error', reject)
      resolve((server.address() as { port: number }).port)
    })
  })
}

function closeAll(servers: Server[]): Promise<void> {
  return Promise.all(servers.map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve())))).then(() => undefined)
}
