import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { ProgressEvent } from '../../../src/engine/engine.js'
import { readPullStream } from '../../../src/engine/pull-stream.js'

const lines = (...events: object[]) => Readable.from([Buffer.from(events.map((e) => `${JSON.stringify(e)}\r\n`).join(''))])

describe('readPullStream', () => {
  it('reports layer progress', async () => {
    const events: ProgressEvent[] = []
    await readPullStream(
      lines(
        { status: 'Pulling from library/debian', id: 'bookworm-slim' },
        { status: 'Downloading', id: 'a1b2', progressDetail: { current: 512, total: 2048 }, progress: '[==>   ]' },
        { status: 'Status: Downloaded newer image for debian:bookworm-slim' },
      ),
      'debian:bookworm-slim',
      (e) => events.push(e),
    )
    expect(events).toEqual([
      { kind: 'pull', id: 'bookworm-slim', status: 'Pulling from library/debian' },
      { kind: 'pull', id: 'a1b2', status: 'Downloading', current: 512, total: 2048 },
      { kind: 'pull', id: '', status: 'Status: Downloaded newer image for debian:bookworm-slim' },
    ])
  })

  it('fails on an in-band error although the HTTP status was 200', async () => {
    const pull = readPullStream(
      lines({ status: 'Pulling fs layer', id: 'a1b2' }, { errorDetail: { message: 'unexpected EOF' }, error: 'unexpected EOF' }),
      'debian:bookworm-slim',
    )
    await expect(pull).rejects.toMatchObject({ code: 'PULL_FAILED', message: 'cannot pull debian:bookworm-slim: the engine reported an error (unexpected EOF)' })
  })
})
