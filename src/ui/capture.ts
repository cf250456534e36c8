import { Writable } from 'node:stream'

export interface Captured {
  stdout: Writable
  stderr: Writable
  text(): { stdout: string; stderr: string }
}

/** Collects a process's output instead of printing it: with --json it becomes part of the result. */
export function capture(): Captured {
  const out: Buffer[] = []
  const err: Buffer[] = []
  const sink = (into: Buffer[]) => new Writable({ write: (chunk: Buffer, _enc, done) => (into.push(Buffer.from(chunk)), done()) })
  return {
    stdout: sink(out),
    stderr: sink(err),
    text: () => ({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') }),
  }
}
