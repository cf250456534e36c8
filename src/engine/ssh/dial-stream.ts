// The socket http sees for one `docker system dial-stdio` channel. A dial-stdio that failed (no docker there)
// must reach the request as that failure, not as "socket hang up" or "write after end": sshd sends EOF before
// the exit status, and the channel's stream may close on that EOF before the status arrives. So the end is
// held back until the channel has closed AND (when nothing was answered) its exit status came, or a short
// grace passed; a request written after the far side has gone is dropped; a channel error waits the same way.
import { Duplex } from 'node:stream'
import type ssh2 from 'ssh2'

/** How long a closed channel that answered nothing waits for its exit status. */
const EXIT_GRACE_MS = 2000

export function dialStream(ch: ssh2.ClientChannel, failure: (code: number | null, stderr: string) => Error, graceMs = EXIT_GRACE_MS): Duplex {
  let stderr = ''
  let answered = false
  let exited = false
  let code: number | null = null
  let channelError: Error | null = null
  const d = new Duplex({
    read: () => void ch.resume(),
    write: (chunk: Buffer, _enc, cb) => {
      if (ch.writableEnded || ch.destroyed) return cb()
      ch.write(chunk, (err) => {
        if (err) channelError ??= err
        cb()
      })
    },
    final: (cb) => {
      ch.end()
      cb()
    },
    destroy: (err, cb) => {
      ch.destroy()
      cb(err)
    },
  })
  ch.stderr.on('data', (b: Buffer) => (stderr += b.toString()))
  ch.on('data', (b: Buffer) => {
    answered = true
    if (!d.push(b)) ch.pause()
  })
  ch.on('error', (err: Error) => (channelError ??= err))
  const settle = () => {
    if (code !== null && code !== 0 && !answered) d.destroy(failure(code, stderr))
    else if (channelError) d.destroy(channelError)
    else {
      // The engine's side is gone: once what it sent has been read, so is this socket (both halves).
      d.once('end', () => d.destroy())
      d.push(null)
    }
  }
  let closed = false
  let grace: NodeJS.Timeout | undefined
  ch.once('exit', (c: number | null) => {
    exited = true
    code = c
    if (closed) (clearTimeout(grace), settle())
  })
  ch.once('close', () => {
    closed = true
    if (exited || answered) return settle()
    grace = setTimeout(settle, graceMs)
  })
  return d
}
