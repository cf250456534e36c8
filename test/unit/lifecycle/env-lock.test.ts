import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { hostname, tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'
import { acquireLock, awaitFree, liveLocks, lockPath } from '../../../src/environment/env-lock.js'
import { EnvctlError } from '../../../src/errors/envctl-error.js'

const run = promisify(execFile)
const dir = () => mkdtempSync(join(tmpdir(), 'envctl-lock-test-'))
const who = { uid: 1000, command: 'up', env: 'envctl-x-12345678' }

/** A pid that is certainly not running: a child that has exited. */
async function deadPid(): Promise<number> {
  const { stdout } = await run(process.execPath, ['-e', 'console.log(process.pid)'])
  return Number(stdout.trim())
}

describe('acquireLock', () => {
  it('makes a second holder wait until the first releases, and says who it waits for', async () => {
    const d = dir()
    const first = await acquireLock(d, 'env-a', who)
    const seen: unknown[] = []
    let secondHeld = false
    const second = acquireLock(d, 'env-a', { ...who, command: 'down' }, { pollMs: 10, onWait: (h) => seen.push(h) }).then((l) => ((secondHeld = true), l))
    await new Promise((r) => setTimeout(r, 80))
    expect(secondHeld).toBe(false)
    expect(seen).toEqual([expect.objectContaining({ pid: process.pid, command: 'up', env: 'envctl-x-12345678' })])
    await first.release()
    const held = await second
    expect(secondHeld).toBe(true)
    await held.release()
  })

  it('takes over the lock of a holder that died', async () => {
    const d = dir()
    writeFileSync(lockPath(d, 'env-a'), JSON.stringify({ ...who, pid: await deadPid(), host: hostname(), since: 'then' }))
    const held = await acquireLock(d, 'env-a', who, { pollMs: 10 })
    expect(JSON.parse(readFileSync(held.path, 'utf8')).pid).toBe(process.pid)
    await held.release()
  })

  it('stops waiting when interrupted', async () => {
    const d = dir()
    const first = await acquireLock(d, 'env-a', who)
    const ac = new AbortController()
    const waiting = acquireLock(d, 'env-a', who, { pollMs: 10, signal: ac.signal })
    ac.abort()
    const err = await waiting.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EnvctlError)
    expect((err as EnvctlError).code).toBe('INTERRUPTED')
    await first.release()
  })

  it('serialises separate processes: no two hold it at once', async () => {
    const d = dir()
    const log = join(d, 'log')
    writeFileSync(log, '')
    const mod = new URL('../../../dist/environment/env-lock.js', import.meta.url).href
    const script = `
      const { acquireLock } = await import(${JSON.stringify(mod)})
      const fs = await import('node:fs')
      const l = await acquireLock(${JSON.stringify(d)}, 'env-a', { uid: 1, command: 'up', env: 'x' }, { pollMs: 5 })
      fs.appendFileSync(${JSON.stringify(log)}, 'in ' + process.pid + '\\n')
      await new Promise((r) => setTimeout(r, 40))
      fs.appendFileSync(${JSON.stringify(log)}, 'out ' + process.pid + '\\n')
      await l.release()`
    await Promise.all([0, 1, 2, 3, 4].map(() => run(process.execPath, ['--input-type=module', '-e', script])))
    const lines = readFileSync(log, 'utf8').trim().split('\n')
    expect(lines).toHaveLength(10)
    for (let i = 0; i < lines.length; i += 2) {
      const pid = lines[i]!.split(' ')[1]
      expect([lines[i], lines[i + 1]]).toEqual([`in ${pid}`, `out ${pid}`])
    }
  })
})

describe('liveLocks and awaitFree', () => {
  it('lists what live holders work with, skipping dead ones', async () => {
    const d = dir()
    writeFileSync(lockPath(d, 'env-dead'), JSON.stringify({ ...who, image: 'envctl/dead:1', pid: await deadPid(), host: hostname(), since: 'then' }))
    const held = await acquireLock(d, 'env-live', who)
    await held.update({ image: 'envctl/live:1' })
    expect((await liveLocks(d)).map((l) => l.image)).toEqual(['envctl/live:1'])
    await held.release()
    expect(await liveLocks(d)).toEqual([])
  })

  it('awaitFree returns once the holder releases, without taking the lock', async () => {
    const d = dir()
    const held = await acquireLock(d, 'prune', { ...who, command: 'prune' })
    let free = false
    const waiting = awaitFree(d, 'prune', { pollMs: 10 }).then(() => (free = true))
    await new Promise((r) => setTimeout(r, 50))
    expect(free).toBe(false)
    await held.release()
    await waiting
    expect(free).toBe(true)
    const again = await acquireLock(d, 'prune', who)
    await again.release()
  })
})
