import type { Readable } from 'node:stream'
import { StringDecoder } from 'node:string_decoder'

/** Docker's progress streams: one JSON object per line, lines split anywhere across chunks. */
export async function* jsonLines(stream: Readable): AsyncGenerator<Record<string, unknown>> {
  const decoder = new StringDecoder('utf8')
  let buffered = ''
  for await (const chunk of stream) {
    buffered += typeof chunk === 'string' ? chunk : decoder.write(chunk as Buffer)
    const lines = buffered.split(/\r?\n/)
    buffered = lines.pop() ?? ''
    for (const line of lines) {
      const parsed = parseLine(line)
      if (parsed) yield parsed
    }
  }
  const last = parseLine(buffered + decoder.end())
  if (last) yield last
}

function parseLine(line: string): Record<string, unknown> | undefined {
  if (!line.trim()) return undefined
  try {
    const value: unknown = JSON.parse(line)
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return { stream: line }
  }
}
