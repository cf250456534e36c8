import { createServer, connect, type Server } from 'node:net'
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
})
