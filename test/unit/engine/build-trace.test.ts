import { Readable } from 'node:stream'
import protobuf from 'protobufjs'
import { describe, expect, it } from 'vitest'
import { BuildFailedError, readBuildStream } from '../../../src/engine/build-stream.js'
import { BuildTrace } from '../../../src/engine/build-trace.js'
import type { ProgressEvent } from '../../../src/engine/engine.js'

// Messages are encoded with the schema dockerode ships, exactly as the daemon sends them: base64 protobuf
// in the `aux` of a `moby.buildkit.trace` event.
const StatusResponse = protobuf
  .loadSync(new URL('../../../node_modules/dockerode/lib/proto/buildkit_status.proto', import.meta.url).pathname)
  .lookupType('moby.buildkit.v1.StatusResponse')

const ts = { seconds: 1_795_000_000, nanos: 0 }
const RUN = 'sha256:run'
const FROM = 'sha256:from'

interface VertexIn {
  digest: string
  name: string
  cached?: boolean
  started?: boolean
  completed?: boolean
  error?: string
}

function aux(msg: { vertexes?: VertexIn[]; logs?: Array<{ vertex: string; msg: Buffer | string; stream?: number }> }): string {
  const payload = {
    vertexes: (msg.vertexes ?? []).map((v) => ({
      digest: v.digest,
      name: v.name,
      cached: v.cached ?? false,
      started: v.started ? ts : undefined,
      completed: v.completed ? ts : undefined,
      error: v.error ?? '',
    })),
    logs: (msg.logs ?? []).map((l) => ({ vertex: l.vertex, stream: l.stream ?? 1, timestamp: ts, msg: Buffer.from(l.msg) })),
  }
  return Buffer.from(StatusResponse.encode(StatusResponse.fromObject(payload)).finish()).toString('base64')
}

function traceOf(...messages: string[]): { events: ProgressEvent[]; trace: BuildTrace } {
  const events: ProgressEvent[] = []
  const trace = new BuildTrace((e) => events.push(e))
  for (const m of messages) trace.handleAux(m)
  return { events, trace }
}

describe('BuildTrace', () => {
  it('turns vertexes into step events, once per state change', () => {
    const { events } = traceOf(
      aux({ vertexes: [{ digest: FROM, name: '[1/2] FROM docker.io/library/debian:bookworm-slim' }] }),
      aux({ vertexes: [{ digest: FROM, name: '[1/2] FROM docker.io/library/debian:bookworm-slim', started: true, completed: true, cached: true }] }),
      aux({ vertexes: [{ digest: RUN, name: '[2/2] RUN make', started: true }] }),
      aux({ vertexes: [{ digest: RUN, name: '[2/2] RUN make', started: true }] }),
      aux({ vertexes: [{ digest: RUN, name: '[2/2] RUN make', started: true, completed: true }] }),
    )
    expect(events).toEqual([
      { kind: 'step', id: FROM, name: '[1/2] FROM docker.io/library/debian:bookworm-slim', cached: true, done: true },
      { kind: 'step', id: RUN, name: '[2/2] RUN make', cached: false, done: false },
      { kind: 'step', id: RUN, name: '[2/2] RUN make', cached: false, done: true },
    ])
  })

  it('decodes log bytes as UTF-8 text, including a character split across two messages', () => {
    const text = Buffer.from('héllo wörld ✓ 日本語\nsecond line\n', 'utf8')
    const cut = text.indexOf(Buffer.from('✓')) + 1
    const { events } = traceOf(
      aux({ vertexes: [{ digest: RUN, name: '[2/2] RUN echo', started: true }] }),
      aux({ logs: [{ vertex: RUN, msg: text.subarray(0, cut) }] }),
      aux({ logs: [{ vertex: RUN, msg: text.subarray(cut) }] }),
    )
    expect(events.filter((e) => e.kind === 'log')).toEqual([
      { kind: 'log', stepId: RUN, text: 'héllo wörld ✓ 日本語' },
      { kind: 'log', stepId: RUN, text: 'second line' },
    ])
  })

  it('keeps stdout and stderr lines apart and flushes an unterminated line when the step completes', () => {
    const { events } = traceOf(
      aux({ logs: [{ vertex: RUN, msg: 'out-part', stream: 1 }, { vertex: RUN, msg: 'err line\n', stream: 2 }] }),
      aux({ logs: [{ vertex: RUN, msg: '-end', stream: 1 }], vertexes: [{ digest: RUN, name: 'RUN x', started: true, completed: true }] }),
    )
    expect(events.map((e) => (e.kind === 'log' ? e.text : `step done=${e.kind === 'step' && e.done}`))).toEqual([
      'err line',
      'out-part-end',
      'step done=true',
    ])
  })

  it('reports the failing step with its error and the last 30 lines of its output', () => {
    const lines = Array.from({ length: 40 }, (_, i) => `line ${i + 1}`)
    const { events, trace } = traceOf(
      aux({ vertexes: [{ digest: RUN, name: '[2/2] RUN ./build.sh', started: true }] }),
      aux({ logs: [{ vertex: RUN, msg: `${lines.join('\n')}\n` }] }),
      aux({ vertexes: [{ digest: RUN, name: '[2/2] RUN ./build.sh', started: true, completed: true, error: 'exit code: 3' }] }),
    )
    expect(events.at(-1)).toEqual({ kind: 'step', id: RUN, name: '[2/2] RUN ./build.sh', cached: false, done: true, error: 'exit code: 3' })
    expect(trace.failedStep()).toEqual({ id: RUN, name: '[2/2] RUN ./build.sh', error: 'exit code: 3', logTail: lines.slice(10) })
  })

  it('prefers the real failure over siblings cancelled because of it', () => {
    const { trace } = traceOf(
      aux({ vertexes: [{ digest: 'sha256:other', name: '[b 2/2] RUN sleep 9', started: true, completed: true, error: 'context canceled' }] }),
      aux({ vertexes: [{ digest: RUN, name: '[a 2/2] RUN false', started: true, completed: true, error: 'exit code: 1' }] }),
    )
    expect(trace.failedStep()?.name).toBe('[a 2/2] RUN false')
  })
})

/** A build response as the daemon streams it: JSON lines, cut at arbitrary points between chunks. */
function responseOf(events: object[], chunk = 7): Readable {
  const text = events.map((e) => `${JSON.stringify(e)}\r\n`).join('')
  const chunks: Buffer[] = []
  for (let i = 0; i < text.length; i += chunk) chunks.push(Buffer.from(text.slice(i, i + chunk)))
  return Readable.from(chunks)
}

const trace = (msg: Parameters<typeof aux>[0]) => ({ id: 'moby.buildkit.trace', aux: aux(msg) })

describe('readBuildStream', () => {
  it('returns the image id and reports steps and logs', async () => {
    const events: ProgressEvent[] = []
    const id = await readBuildStream(
      responseOf([
        trace({ vertexes: [{ digest: RUN, name: '[2/2] RUN echo ok', started: true }] }),
        trace({ logs: [{ vertex: RUN, msg: 'ok\n' }] }),
        trace({ vertexes: [{ digest: RUN, name: '[2/2] RUN echo ok', started: true, completed: true }] }),
        { id: 'moby.image.id', aux: { ID: 'sha256:abc' } },
        { stream: 'Successfully tagged envctl/x:1\n' },
      ]),
      (e) => events.push(e),
    )
    expect(id).toBe('sha256:abc')
    expect(events.map((e) => e.kind)).toEqual(['step', 'log', 'step', 'info'])
  })

  it('fails on an in-band error, naming the step and carrying its output', async () => {
    const failing = readBuildStream(
      responseOf([
        trace({ vertexes: [{ digest: RUN, name: '[2/2] RUN pip install nope', started: true }] }),
        trace({ logs: [{ vertex: RUN, msg: 'ERROR: No matching distribution found for nope\n', stream: 2 }] }),
        trace({ vertexes: [{ digest: RUN, name: '[2/2] RUN pip install nope', started: true, completed: true, error: 'exit code: 1' }] }),
        { errorDetail: { message: 'executor failed running [/bin/sh -c pip install nope]: exit code: 1' }, error: 'executor failed' },
      ]),
    )
    await expect(failing).rejects.toThrow(BuildFailedError)
    await expect(failing).rejects.toMatchObject({
      code: 'BUILD_FAILED',
      message: 'build failed at step "[2/2] RUN pip install nope": exit code: 1',
      step: '[2/2] RUN pip install nope',
      logTail: ['ERROR: No matching distribution found for nope'],
      problems: [{ message: '| ERROR: No matching distribution found for nope' }],
    })
  })

  it('fails on an error even when no trace names a step (a classic-builder stream)', async () => {
    const failing = readBuildStream(
      responseOf([{ stream: 'Step 2/3 : RUN exit 4\n' }, { errorDetail: { message: "The command '/bin/sh -c exit 4' returned a non-zero code: 4" } }]),
    )
    await expect(failing).rejects.toThrow('build failed at step "[2/3] RUN exit 4": The command \'/bin/sh -c exit 4\' returned a non-zero code: 4')
  })

  it('fails when the stream ends without an image id', async () => {
    await expect(readBuildStream(responseOf([{ stream: 'nothing\n' }]))).rejects.toThrow(/without reporting an image id/)
  })
})

describe('BuildFailedError', () => {
  it('points at mirrors and docker login when the base image cannot be fetched', () => {
    const err = new BuildFailedError('failed to solve', {
      id: 'sha256:meta',
      name: '[internal] load metadata for docker.io/library/debian:nope',
      error: 'failed to do request: Head "https://registry-1.docker.io/v2/library/debian/manifests/nope": dial tcp: lookup registry-1.docker.io: no such host',
      logTail: [],
    })
    expect(err.message).toMatch(/^build failed at step "\[internal\] load metadata for docker.io\/library\/debian:nope": failed to do request/)
    expect(err.hint).toMatch(/\[mirrors\] registry.*docker login/)
  })
})
