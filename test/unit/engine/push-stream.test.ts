import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { readPushStream } from '../../../src/engine/push-stream.js'

const lines = (...events: object[]) => Readable.from([Buffer.from(events.map((e) => `${JSON.stringify(e)}\r\n`).join(''))])
const REF = '127.0.0.1:5000/team/shop:0123456789abcdef'
const DIGEST = `sha256:${'b'.repeat(64)}`

describe('readPushStream', () => {
  it('returns the digest the registry reported in the aux record', async () => {
    const stream = lines({ status: 'The push refers to repository [127.0.0.1:5000/team/shop]' }, { status: 'Pushed', id: 'a1b2' }, { status: `0123: digest: ${DIGEST} size: 1570` }, { aux: { Tag: '0123', Digest: DIGEST, Size: 1570 } })
    await expect(readPushStream(stream, REF)).resolves.toBe(DIGEST)
  })

  it('an in-band error is PUSH_FAILED naming the image, with the login remedy for a refusal', async () => {
    const stream = lines({ status: 'Preparing', id: 'a1b2' }, { errorDetail: { message: 'unauthorized: authentication required' }, error: 'unauthorized: authentication required' })
    await expect(readPushStream(stream, REF)).rejects.toMatchObject({ code: 'PUSH_FAILED', message: `cannot push ${REF}: unauthorized: authentication required`, hint: expect.stringMatching(/docker login 127\.0\.0\.1:5000/) })
  })

  it('a stream that ends without a digest is PUSH_FAILED, not a manifest naming nothing', async () => {
    await expect(readPushStream(lines({ status: 'Pushed', id: 'a1b2' }), REF)).rejects.toMatchObject({ code: 'PUSH_FAILED', message: expect.stringMatching(/no digest/) })
  })
})
