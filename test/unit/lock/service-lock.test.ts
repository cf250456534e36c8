import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lockedServices, recordServiceImages } from '../../../src/project/service-lock.js'
import { parseLock, serializeLock } from '../../../src/lock/serialize.js'
import { LOCK_VERSION, type LockFile } from '../../../src/lock/types.js'
import { writeLock } from '../../../src/project/lock.js'
import { cpuHost } from '../../support/spec.js'

const D1 = `sha256:${'1'.repeat(64)}`
const D2 = `sha256:${'2'.repeat(64)}`
const base: LockFile = { lockVersion: LOCK_VERSION, envctl: '0', matrix: 'm', stack: 's', inputs: 'i', variants: {} }

async function lockFile(lock: LockFile): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'envctl-svclock-')), 'envctl.lock')
  await writeFile(path, serializeLock(lock))
  return path
}

describe('service images in envctl.lock', () => {
  it('pins only services whose image has a registry digest', () => {
    expect(lockedServices([{ name: 'db', image: 'postgres:16' }, { name: 'web', image: 'local:1' }], { db: D1 })).toEqual({ db: { image: 'postgres:16', digest: D1 } })
  })

  it('records them beside what the build recorded, and says so only when they change', async () => {
    const path = await lockFile(base)
    const note = recordServiceImages(path, { db: { image: 'postgres:16', digest: D1 } })
    expect(note).toContain('db postgres:16@sha256:111111111111')
    const written = parseLock(await readFile(path, 'utf8'), path)
    expect(written).toEqual({ ...base, services: { db: { image: 'postgres:16', digest: D1 } } })
    expect(recordServiceImages(path, { db: { image: 'postgres:16', digest: D1 } })).toBeNull()
    recordServiceImages(path, { db: { image: 'postgres:16', digest: D2 } })
    expect(parseLock(await readFile(path, 'utf8'), path).services).toEqual({ db: { image: 'postgres:16', digest: D2 } })
  })

  it('drops a service no longer in the stack, and leaves a missing lock alone', async () => {
    const path = await lockFile({ ...base, services: { db: { image: 'postgres:16', digest: D1 } } })
    expect(recordServiceImages(path, {})).toContain('no longer pinned')
    expect(parseLock(await readFile(path, 'utf8'), path).services).toBeUndefined()
    expect(recordServiceImages(join(tmpdir(), 'envctl-nonexistent', 'envctl.lock'), { db: { image: 'x', digest: D1 } })).toBeNull()
  })
})

describe('envctl lock and the services table', () => {
  const PIN = { db: { image: 'postgres:16', digest: D1 } }
  function pinnedProject(): string {
    const dir = mkdtempSync(join(tmpdir(), 'envctl-svclock-'))
    writeFileSync(join(dir, 'envctl.toml'), 'name = "svc"\n[python]\nversion = "3.11"\n[gpu]\nmode = "none"\n[services.db]\nimage = "postgres:16"\n')
    const path = writeLock({ cwd: dir, host: cpuHost }).path
    recordServiceImages(path, PIN)
    return path
  }

  it('keeps the pins through a re-lock, and --upgrade drops them for the next up to pin anew', () => {
    const path = pinnedProject()
    const dir = join(path, '..')
    writeLock({ cwd: dir, host: cpuHost })
    expect(parseLock(readFileSync(path, 'utf8'), path).services).toEqual(PIN)
    writeLock({ cwd: dir, host: cpuHost, upgrade: true })
    expect(parseLock(readFileSync(path, 'utf8'), path).services).toBeUndefined()
  })
})
