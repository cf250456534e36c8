import { StringDecoder } from 'node:string_decoder'
import { decodeTrace, type TraceLog, type TraceVertex } from './buildkit-proto.js'
import type { OnProgress } from './engine.js'

const LOG_TAIL_LINES = 30

interface StepState {
  id: string
  name: string
  /** started|done|cached|error of the last emitted step event, so repeats are not re-emitted. */
  emitted: string
  error: string
  order: number
  tail: string[]
  partial: Map<number, string>
  decoders: Map<number, StringDecoder>
}

export interface FailedStep {
  id: string
  name: string
  error: string
  logTail: string[]
}

/**
 * Follows BuildKit's status stream across trace events. BuildKit resends a vertex every time any of
 * its fields changes, so step events are emitted on state changes only; log bytes are decoded per
 * vertex and stream with a StringDecoder so a UTF-8 character split across two chunks survives.
 */
export class BuildTrace {
  private readonly steps = new Map<string, StepState>()

  constructor(private readonly onProgress: OnProgress = () => {}) {}

  /** Handles the base64 `aux` of one `moby.buildkit.trace` event. */
  handleAux(aux: string): void {
    const message = decodeTrace(aux)
    for (const log of message.logs) this.log(log)
    for (const vertex of message.vertexes) this.vertex(vertex)
  }

  /** Emits what is left of unterminated log lines once the stream has ended. */
  finish(): void {
    for (const step of this.steps.values()) this.flush(step)
  }

  /** The step that failed, preferring a real failure over the "context canceled" of its siblings. */
  failedStep(): FailedStep | undefined {
    const failed = [...this.steps.values()].filter((s) => s.error).sort((a, b) => a.order - b.order)
    const step = failed.find((s) => !/context canceled/.test(s.error)) ?? failed[0]
    if (!step) return undefined
    return { id: step.id, name: step.name, error: step.error, logTail: this.tailOf(step) }
  }

  private vertex(v: TraceVertex): void {
    const step = this.step(v.digest)
    if (v.name) step.name = v.name
    if (v.error) step.error = v.error
    if (!v.started && !v.completed && !v.cached && !v.error) return
    const state = `${v.started}|${v.completed}|${v.cached}|${v.error}`
    if (state === step.emitted) return
    step.emitted = state
    if (v.completed) this.flush(step)
    this.onProgress({ kind: 'step', id: step.id, name: step.name, cached: v.cached, done: v.completed, ...(v.error ? { error: v.error } : {}) })
  }

  private log(entry: TraceLog): void {
    const step = this.step(entry.vertex)
    let decoder = step.decoders.get(entry.stream)
    if (!decoder) step.decoders.set(entry.stream, (decoder = new StringDecoder('utf8')))
    const text = (step.partial.get(entry.stream) ?? '') + decoder.write(entry.msg)
    const lines = text.split(/\r?\n/)
    step.partial.set(entry.stream, lines.pop() ?? '')
    for (const line of lines) this.line(step, line)
  }

  private flush(step: StepState): void {
    for (const [stream, decoder] of step.decoders) {
      const rest = (step.partial.get(stream) ?? '') + decoder.end()
      step.partial.set(stream, '')
      if (rest) this.line(step, rest)
    }
    step.decoders.clear()
  }

  private line(step: StepState, text: string): void {
    step.tail.push(text)
    if (step.tail.length > LOG_TAIL_LINES) step.tail.shift()
    this.onProgress({ kind: 'log', stepId: step.id, text })
  }

  private tailOf(step: StepState): string[] {
    const pending = [...step.partial.values()].filter(Boolean)
    return [...step.tail, ...pending].slice(-LOG_TAIL_LINES)
  }

  private step(id: string): StepState {
    let step = this.steps.get(id)
    if (!step) {
      step = { id, name: id, emitted: '', error: '', order: this.steps.size, tail: [], partial: new Map(), decoders: new Map() }
      this.steps.set(id, step)
    }
    return step
  }
}
