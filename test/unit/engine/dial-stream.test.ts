import { EventEmitter } from 'node:events'
import { Duplex } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type ssh2 from 'ssh2'
import { dialStream } from '../../../src/engine/ssh/dial-stream.js'

/** A channel as ssh2 hands it over: a duplex with a stderr stream, 'exit' with the status, then 'close'. */
function fakeChannel() {
  const written: string[] = []
  const ch = new Duplex({
    read() {},
    write(chunk: Buffer, _enc, cb) {
      written.push(chunk.toString())
      cb()
    },
  }) as Duplex & { stderr: EventEmitter }
  ch.stderr = new EventEmitter()
  return { ch, written, channel: ch as unknown as ssh2.ClientChannel }
}

const failure = (code: number | null, stderr: string) => new Error(`exit ${code}: ${stderr.trim()}`)
const outcome = (d: Duplex) => new Promise<string>((resolve) => {
  let data = ''
  d.on('data', (b: Buffer) => (data += b.toString()))
  d.on('error', (e: Error) => resolve(`error: ${e.message}`))
  d.on('end', () => resolve(`end: ${data}`))
})

describe('dialStream', () => {
  it('a dial-stdio that exits before the request is written fails with its exit status, not "write after end"', async () => {
    const { ch, channel } = fakeChannel()
    const d = dialStream(channel, failure)
    const result = outcome(d)
    ch.stderr.emit('data', Buffer.from('sh: 1: docker: not found\n'))
    ch.end()
    d.write('GET /_ping HTTP/1.1\r\n\r\n')
    ch.emit('exit', 127)
    ch.emit('close')
    expect(await result).toBe('error: exit 127: sh: 1: docker: not found')
  })

  it('the stream closing on EOF before the exit status arrives still ends in the exit status', async () => {
    const { ch, channel } = fakeChannel()
    const d = dialStream(channel, failure)
    const result = outcome(d)
    ch.emit('close')
    await new Promise((r) => setTimeout(r, 20))
    ch.emit('exit', 127)
    expect(await result).toBe('error: exit 127: ')
  })

  it('a closed channel that answered nothing and gives no exit status ends after the grace', async () => {
    const { ch, channel } = fakeChannel()
    const d = dialStream(channel, failure, 10)
    const result = outcome(d)
    d.resume()
    ch.emit('close')
    expect(await result).toBe('end: ')
  })

  it('a channel error waits for the close: the exit status wins, and without one the error is passed on', async () => {
    const first = fakeChannel()
    const withStatus = dialStream(first.channel, failure)
    const a = outcome(withStatus)
    first.ch.emit('error', new Error('write after end'))
    first.ch.emit('exit', 1)
    first.ch.emit('close')
    expect(await a).toBe('error: exit 1: ')

    const second = fakeChannel()
    const without = dialStream(second.channel, failure, 10)
    const b = outcome(without)
    second.ch.emit('error', new Error('channel broke'))
    second.ch.emit('close')
    expect(await b).toBe('error: channel broke')
  })

  it('passes the request through and the answer back, ending when the engine side closes', async () => {
    const { ch, written, channel } = fakeChannel()
    const d = dialStream(channel, failure)
    const result = outcome(d)
    d.write('GET /_ping HTTP/1.1\r\n\r\n')
    await new Promise((r) => setImmediate(r))
    ch.emit('data', Buffer.from('HTTP/1.1 200 OK\r\n\r\nOK'))
    ch.emit('exit', 0)
    ch.emit('close')
    expect(await result).toBe('end: HTTP/1.1 200 OK\r\n\r\nOK')
    expect(written).toEqual(['GET /_ping HTTP/1.1\r\n\r\n'])
  })
})
