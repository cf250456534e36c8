import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { tokenFilePath } from '../../../src/notebook/token-file.js'
import { withEnvFile } from '../../../src/environment/container/env-file.js'
import { basename } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import { downEnv } from '../../../src/environment/down.js'
import { execInEnv } from '../../../src/environment/exec.js'
import { projectNameIn, type EnvTarget } from '../../../src/environment/target.js'
import { prune } from '../../../src/environment/prune.js'
import { acquireLock } from '../../../src/environment/env-lock.js'
import { openShell } from '../../../src/environment/shell.js'
import { stopEnv } from '../../../src/environment/stop.js'
import { stackDir } from '../stack/helpers.js'
import { FakeEngine, cacheVolume, envContainer } from './fake-engine.js'

const LOCKS = mkdtempSync(join(tmpdir(), 'envctl-locks-'))

/** A NAME typed by a user with no environment of their own in the folder the command runs in. */
function byName(name: string): EnvTarget {
  return { name, workspace: '/somewhere/else', uid: 4242 }
}

const npm = { type: 'volume' as const, source: 'envctl-cache-npm', target: '/cache/npm' }
const pip = { type: 'volume' as const, source: 'envctl-cache-pip', target: '/cache/pip' }
const theirs = { type: 'volume' as const, source: 'someone-elses', target: '/data' }
const io = () => ({ stdout: new PassThrough(), stderr: new PassThrough() })

function twoEnvs(): FakeEngine {
  const a = envContainer('a', { mounts: [npm, pip, theirs] })
  const b = envContainer('b', { status: 'exited', mounts: [pip] })
  return new FakeEngine([a, b], [], [cacheVolume('envctl-cache-npm'), cacheVolume('envctl-cache-pip'), { name: 'someone-elses', labels: {}, mountpoint: '' }])
}

describe('downEnv', () => {
  it('removes the container and keeps its caches unless asked', async () => {
    const fake = twoEnvs()
    const r = await downEnv(fake.engine, { lockDir: LOCKS, env: byName('a') })
    expect(fake.calls).toEqual(['rm id-a force'])
    expect(r).toMatchObject({ name: 'a', container: 'envctl-a', workspace: '/src/a', image: 'envctl/a:1' })
    expect(r.volumes.removed).toEqual([])
    expect(r.volumes.kept.map((k) => k.name)).toEqual(['envctl-cache-npm', 'envctl-cache-pip'])
  })

  it("removes the environment's notebook token file with it", async () => {
    // Keyed by the container name: two clones of one project share the name, never the container.
    const state = stackDir({ 'notebooks/envctl-a.token': 'tok\n', 'notebooks/envctl-b.token': 'other\n' })
    const r = await downEnv(twoEnvs().engine, { lockDir: LOCKS, env: byName('a'), stateDir: state })
    expect(r.tokenFile).toBe(tokenFilePath(state, 'envctl-a'))
    expect(existsSync(tokenFilePath(state, 'envctl-a'))).toBe(false)
    expect(existsSync(tokenFilePath(state, 'envctl-b'))).toBe(true)
    expect((await downEnv(twoEnvs().engine, { lockDir: LOCKS, env: byName('a'), stateDir: state })).tokenFile).toBeNull()
  })

  it('with volumes, removes only caches no other envctl container (even a stopped one) mounts, after the container', async () => {
    const fake = twoEnvs()
    const r = await downEnv(fake.engine, { lockDir: LOCKS, env: byName('a'), volumes: true })
    expect(fake.calls).toEqual(['rm id-a force', 'volume rm envctl-cache-npm'])
    expect(r.volumes).toEqual({ removed: ['envctl-cache-npm'], kept: [{ name: 'envctl-cache-pip', reason: 'in use by envctl-b' }] })
  })

  it('reports a cache the engine refuses to remove as kept, with the reason', async () => {
    const fake = twoEnvs()
    fake.refuse.add('envctl-cache-npm')
    const r = await downEnv(fake.engine, { lockDir: LOCKS, env: byName('a'), volumes: true })
    expect(r.volumes.removed).toEqual([])
    expect(r.volumes.kept).toContainEqual({ name: 'envctl-cache-npm', reason: expect.stringContaining('volume is in use') })
  })

  it('fails with NOT_FOUND and a hint for an unknown environment, removing nothing', async () => {
    const fake = twoEnvs()
    const err = await downEnv(fake.engine, { lockDir: LOCKS, env: byName('nope') }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EnvctlError)
    expect((err as EnvctlError).code).toBe('NOT_FOUND')
    expect((err as EnvctlError).hint).toContain('envctl ls --all')
    expect(fake.calls).toEqual([])
  })
})

describe('prune', () => {
  function withImages(): FakeEngine {
    const fake = twoEnvs()
    const img = (id: string, repoTags: string[]) => ({ id, repoTags, labels: { 'dev.envctl.managed': '1' }, created: 0, sizeBytes: 1000 })
    // b is stopped: its image still counts as used.
    fake.images = [img('sha256:a', ['envctl/a:1']), img('sha256:b', ['envctl/b:1']), img('sha256:old', ['envctl/a:0', 'envctl/a:old']), img('sha256:dangling', [])]
    return fake
  }

  it('in a dry run lists unused images and volumes and removes nothing', async () => {
    const fake = withImages()
    const r = await prune(fake.engine, { dryRun: true, volumes: true, lockDir: LOCKS, uid: 4242 })
    expect(fake.calls).toEqual([])
    expect(r.images.map((i) => i.id)).toEqual(['sha256:old', 'sha256:dangling'])
    expect(r.volumes).toEqual([])
    expect(r.kept.map((k) => k.name)).toEqual(['envctl-cache-npm', 'envctl-cache-pip'])
    expect(r).toMatchObject({ dryRun: true, buildCacheBytes: null, reclaimedBytes: 2000 })
  })

  it('untags each tag of an unused image, prunes the build cache, and adds up what it reclaimed', async () => {
    const fake = withImages()
    fake.containers = fake.containers.filter((c) => c.id !== 'id-a')
    const r = await prune(fake.engine, { all: true, volumes: true, lockDir: LOCKS, uid: 4242 })
    expect(fake.calls).toEqual(['rmi envctl/a:0', 'rmi envctl/a:old', 'rmi envctl/a:1', 'rmi sha256:dangling', 'volume rm envctl-cache-npm', 'builder prune all'])
    expect(r.kept).toEqual([{ name: 'envctl-cache-pip', reason: 'in use by envctl-b' }])
    expect(r).toMatchObject({ dryRun: false, buildCacheBytes: 500, reclaimedBytes: 3500 })
  })

  it('keeps an image an `up` in flight is about to use (named in its lock), though no container uses it yet', async () => {
    const fake = withImages()
    const locks = mkdtempSync(join(tmpdir(), 'envctl-locks-'))
    const inFlight = await acquireLock(locks, 'env-x', { uid: 4242, command: 'up', env: 'envctl-a-12345678' })
    await inFlight.update({ image: 'envctl/a:old' })
    const r = await prune(fake.engine, { dryRun: true, lockDir: locks, uid: 4242 })
    expect(r.images.map((i) => i.id)).toEqual(['sha256:dangling'])
    await inFlight.release()
    const after = await prune(fake.engine, { dryRun: true, lockDir: locks, uid: 4242 })
    expect(after.images.map((i) => i.id)).toEqual(['sha256:old', 'sha256:dangling'])
  })
})

describe('exec and shell', () => {
  it('run in /workspace of a running environment and pass the exit code through', async () => {
    const fake = twoEnvs()
    // Every command runs behind the loader of the user's env file (proxy credentials): argv after it is intact.
    fake.execCodes = (cmd) => (cmd.at(-1) === 'false' ? 1 : 0)
    const r = await execInEnv(fake.engine, { env: byName('a'), cmd: ['false'], user: '0', ...io() })
    expect(r).toEqual({ name: 'a', container: 'envctl-a', command: ['false'], exitCode: 1 })
    expect(fake.calls).toEqual([`exec id-a ${withEnvFile(['false']).join(' ')} in /workspace as 0`])
  })

  it('refuse a stopped environment, naming the command that starts it', async () => {
    const err = await execInEnv(twoEnvs().engine, { env: byName('b'), cmd: ['true'], ...io() }).catch((e: unknown) => e)
    expect((err as EnvctlError).code).toBe('START_FAILED')
    expect((err as EnvctlError).message).toBe('environment b is not running (exited)')
    expect((err as EnvctlError).hint).toBe('start it with `envctl up` in /src/b')
  })

  it.each([
    [0, '/bin/bash'],
    [1, '/bin/sh'],
  ])('shell: `test -x /bin/bash` exiting %d opens %s', async (code, shell) => {
    const fake = twoEnvs()
    fake.execCodes = (cmd) => (cmd[0] === 'test' ? code : 3)
    const r = await openShell(fake.engine, { env: byName('a'), tty: false, ...io() })
    expect(r).toEqual({ name: 'a', container: 'envctl-a', shell, exitCode: 3 })
    expect(fake.calls).toEqual(['exec id-a test -x /bin/bash', `exec id-a ${withEnvFile([shell]).join(' ')} in /workspace`])
  })
})

describe('stopEnv', () => {
  it('stops a running environment and does nothing to a stopped one', async () => {
    const fake = twoEnvs()
    expect(await stopEnv(fake.engine, byName('a'))).toEqual({ name: 'a', container: 'envctl-a', wasRunning: true, status: 'exited', services: [] })
    expect(await stopEnv(fake.engine, byName('b'))).toEqual({ name: 'b', container: 'envctl-b', wasRunning: false, status: 'exited', services: [] })
    expect(fake.calls).toEqual(['stop id-a'])
  })
})

describe('projectNameIn', () => {
  it('names the project in the folder as up does: its name, else its folder', () => {
    expect(projectNameIn(stackDir({ 'envctl.toml': 'name = "web.app_2"\nextends = "node"\n' }))).toBe('web.app_2')
    const unnamed = stackDir({ 'envctl.toml': 'extends = "node"\n' })
    expect(projectNameIn(unnamed)).toBe(basename(unnamed).toLowerCase())
  })

  it('without envctl.toml, there is none', () => {
    expect(projectNameIn(stackDir({}))).toBeUndefined()
  })
})
