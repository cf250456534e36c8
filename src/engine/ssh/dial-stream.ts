// The socket http sees for one `docker system dial-stdio` channel. Its end is held back until the channel
// closes, because sshd may send EOF before the exit status: a dial-stdio that failed (no docker there) must
// reach the request as that failure, not as "socket hang up".
import { Duplex } from 'node:stream'
import type ssh2 from 'ssh2'

export function dialStream(ch: ssh2.ClientChannel, failure: (code: number | null, stderr: string) => Error): Duplex {
  let stderr = ''
  let answered = false
  let code: number | null = null
  const d = new Duplex({
    read: () => void ch.resume(),
    write: (chunk: Buffer, _enc, cb) => void ch.write(chunk, cb),
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
  ch.once('exit', (c: number | null) => (code = c))
  ch.on('error', (err: Error) => d.destroy(err))
  ch.once('close', () => {
    if (code !== null && code !== 0 && !answered) d.destroy(failure(code, stderr))
    else {
      // The engine's side is gone: once what it sent has been read, so is this socket (both halves).
      d.once('end', () => d.destroy())
      d.push(null)
    }
  })
  return d
}
