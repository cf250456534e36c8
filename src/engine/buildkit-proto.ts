// Decodes `moby.buildkit.trace` aux payloads (vertexes and logs; the per-item byte counters in
// `statuses` are not used yet) with the StatusResponse schema that dockerode bundles.
// protobufjs is dockerode's dependency, so it is resolved from dockerode's own location, and loaded only
// when the first BuildKit event arrives.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type { Type } from 'protobufjs'

export interface TraceVertex {
  digest: string
  name: string
  cached: boolean
  started: boolean
  completed: boolean
  error: string
}

export interface TraceLog {
  vertex: string
  /** 1 stdout, 2 stderr. */
  stream: number
  /** Raw bytes: a chunk may end in the middle of a UTF-8 character. */
  msg: Buffer
}

export interface TraceMessage {
  vertexes: TraceVertex[]
  logs: TraceLog[]
}

let statusResponse: Type | undefined

function statusResponseType(): Type {
  if (statusResponse) return statusResponse
  const fromHere = createRequire(import.meta.url)
  const dockerodeMain = fromHere.resolve('dockerode')
  const fromDockerode = createRequire(dockerodeMain)
  const protobuf = fromDockerode('protobufjs') as typeof import('protobufjs')
  const root = protobuf.loadSync(join(dirname(dockerodeMain), 'proto', 'buildkit_status.proto'))
  statusResponse = root.lookupType('moby.buildkit.v1.StatusResponse')
  return statusResponse
}

/** Decodes one aux payload (base64 of a protobuf StatusResponse). */
export function decodeTrace(aux: string): TraceMessage {
  const type = statusResponseType()
  // bytes stay bytes here: dockerode's own decoder turns them into base64 text, which is the log bug.
  const raw = type.toObject(type.decode(Buffer.from(aux, 'base64')), { longs: Number, defaults: true }) as RawStatus
  return {
    vertexes: raw.vertexes.map((v) => ({
      digest: v.digest,
      name: v.name,
      cached: v.cached,
      started: v.started != null,
      completed: v.completed != null,
      error: v.error,
    })),
    logs: raw.logs.map((l) => ({ vertex: l.vertex, stream: l.stream, msg: Buffer.from(l.msg) })),
  }
}

interface RawStatus {
  vertexes: Array<{ digest: string; name: string; cached: boolean; started?: object | null; completed?: object | null; error: string }>
  logs: Array<{ vertex: string; stream: number; msg: Uint8Array }>
}
