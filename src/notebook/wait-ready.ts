import { get } from 'node:http'

/** What the server did while we waited for it. */
export type ReadyOutcome = { kind: 'ready' } | { kind: 'exited' } | { kind: 'timeout'; lastStatus: number | null } | { kind: 'aborted' }

export interface WaitOptions {
  timeoutMs: number
  intervalMs?: number
  /** Whether the container still runs: a server that crashed is not waited for until the timeout. */
  alive(): Promise<boolean>
  /** HTTP status of a GET, or null when nothing answered. */
  get?(url: string): Promise<number | null>
  now?(): number
  sleep?(ms: number): Promise<void>
  signal?: AbortSignal
}

/**
 * node:http rather than fetch: while the server starts, Docker's proxy accepts and then drops connections,
 * and an undici fetch can hang on that with no timer holding the process open.
 */
export function httpStatus(url: string, timeoutMs = 2000): Promise<number | null> {
  return new Promise((resolve) => {
    const req = get(url, (res) => {
      res.resume()
      resolve(res.statusCode ?? null)
    })
    req.setTimeout(timeoutMs, () => req.destroy())
    req.on('error', () => resolve(null))
    req.on('close', () => resolve(null))
  })
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/** Polls `url` until it answers 200, the container stops, the time is up, or the user interrupts. */
export async function waitForStatus(url: string, o: WaitOptions): Promise<ReadyOutcome> {
  const { get = httpStatus, now = Date.now, sleep = pause } = o
  const deadline = now() + o.timeoutMs
  let lastStatus: number | null = null
  for (;;) {
    if (o.signal?.aborted) return { kind: 'aborted' }
    lastStatus = await get(url)
    if (lastStatus === 200) return { kind: 'ready' }
    if (!(await o.alive())) return { kind: 'exited' }
    if (now() >= deadline) return { kind: 'timeout', lastStatus }
    await sleep(o.intervalMs ?? 100)
  }
}
