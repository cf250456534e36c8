import { describe, expect, it } from 'vitest'
import { waitForStatus } from '../../../src/notebook/wait-ready.js'

/** A fake clock: sleeping advances it, so nothing waits for real. */
function clock() {
  let t = 0
  return { now: () => t, sleep: async (ms: number) => void (t += ms) }
}

describe('waitForStatus', () => {
  it('is ready once the endpoint answers 200', async () => {
    const answers = [null, null, 403, 200]
    const seen: string[] = []
    const r = await waitForStatus('http://x/api/status', { timeoutMs: 60_000, alive: async () => true, get: async (u) => (seen.push(u), answers.shift()!), ...clock() })
    expect(r).toEqual({ kind: 'ready' })
    expect(seen).toHaveLength(4)
  })

  it('stops waiting when the container exits', async () => {
    expect(await waitForStatus('u', { timeoutMs: 60_000, alive: async () => false, get: async () => null, ...clock() })).toEqual({ kind: 'exited' })
  })

  it('times out with the last answer', async () => {
    expect(await waitForStatus('u', { timeoutMs: 1000, intervalMs: 100, alive: async () => true, get: async () => 403, ...clock() })).toEqual({ kind: 'timeout', lastStatus: 403 })
  })

  it('stops when interrupted', async () => {
    const ac = new AbortController()
    ac.abort()
    expect(await waitForStatus('u', { timeoutMs: 1000, alive: async () => true, get: async () => null, signal: ac.signal, ...clock() })).toEqual({ kind: 'aborted' })
  })
})
