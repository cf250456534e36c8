import { createServer, connect, type Server } from 'node:net'
import { Duplex } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import { forwardPorts } from '../../../src/engine/local-forward.js'

const servers: Server[] = []
afterEach(() => servers.splice(0).forEach((s) => s.close()))

/** An echo server standing in for the engine's host; `open` connects to it as a tunnel channel would. */
async function echo(): Promise<number> {
  const s = createServer((sock) => sock.pipe(sock))
  servers.push(s)
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()))
  return (s.address() as { port: number }).port
}
const open = (port: number) => Promise.resolve(connect(port, '127.0.0.1'))

function roundTrip(port: number, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = connect(port, '127.0.0.1', () => c.end(text))
    let got = ''
    c.on('data', (d) => (got += d))
    c.on('close', () => resolve(got))
    c.on('error', reject)
  })
}

describe('forwardPorts', () => {
  it('listens on the same port number here when free and carries bytes both ways', async () => {
    const remote = await echo()
    servers[0]!.close()
    const target = await echo()
    const fwd = await forwardPorts(() => open(target), [remote])
    expect(fwd.mappings).toEqual([{ remote, local: remote }])
    expect(await roundTrip(remote, 'hello')).toBe('hello')
    await fwd.close()
  })

  it('takes another port when that one is taken, and close() cuts open connections', async () => {
    const taken = await echo()
    const fwd = await forwardPorts(() => open(taken), [taken])
    expect(fwd.mappings[0]!.local).not.toBe(taken)
    const c = connect(fwd.mappings[0]!.local, '127.0.0.1')
    await new Promise((r) => c.once('connect', r))
    const closed = new Promise((r) => c.once('close', r))
    await fwd.close()
    await closed
    await expect(roundTrip(fwd.mappings[0]!.local, 'x')).rejects.toThrow(/ECONNREFUSED/)
  })

  it('closing cuts a connection and closes its channel, as an ssh2 channel needs: its close waits for its readable end', async () => {
    const ch = new SshLikeChannel()
    const fwd = await forwardPorts(() => Promise.resolve(ch), [0])
    const c = connect(fwd.mappings[0]!.local, '127.0.0.1')
    await new Promise((r) => c.once('connect', r))
    ch.push('first answer')
    await new Promise((r) => c.once('data', r))
    // As after a kept-alive HTTP request: the connection is still open when the forward closes.
    await fwd.close()
    await ch.closedByServer
  })

  it('closes a channel that opens after its connection here was cut', async () => {
    const ch = new SshLikeChannel()
    let opened!: (d: Duplex) => void
    const fwd = await forwardPorts(() => new Promise<Duplex>((r) => (opened = r)), [0])
    const c = connect(fwd.mappings[0]!.local, '127.0.0.1')
    await new Promise((r) => c.once('connect', r))
    await fwd.close()
    opened(ch)
    await ch.closedByServer
  })
})

/**
 * Behaves as ssh2's client channel does: destroy() only sends EOF and CLOSE; the server's CLOSE pushes the
 * end of its readable side, and 'close' is emitted once that end has been read.
 */
class SshLikeChannel extends Duplex {
  readonly closedByServer: Promise<void>
  constructor() {
    super({ emitClose: false, autoDestroy: false })
    this.closedByServer = new Promise((resolve) => this.once('close', () => resolve()))
    this.once('end', () => this.emit('close'))
  }
  override _read(): void {}
  override _write(_chunk: unknown, _enc: BufferEncoding, cb: () => void): void {
    cb()
  }
  override destroy(): this {
    this.end()
    setImmediate(() => this.push(null))
    return this
  }
}
