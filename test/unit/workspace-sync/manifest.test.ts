import { describe, expect, it } from 'vitest'
import { decideFetched, decideGone, needsHash, planPush, pullCandidates, type LocalFile, type SyncedFile } from '../../../src/workspace-sync/manifest.js'

const synced = (hash: string, extra: Partial<SyncedFile> = {}): SyncedFile => ({ size: 10, mtime: 100, mode: 0o644, hash, remoteMtime: 100, ...extra })
const local = (hash: string | undefined, extra: Partial<LocalFile> = {}): LocalFile => ({ size: 10, mtime: 100, mode: 0o644, ...(hash ? { hash } : {}), ...extra })

describe('needsHash', () => {
  it('only a new file or one whose size, mtime or link moved is read again', () => {
    expect(needsHash(local(undefined), synced('h'))).toBe(false)
    expect(needsHash(local(undefined), undefined)).toBe(true)
    expect(needsHash(local(undefined, { mtime: 101 }), synced('h'))).toBe(true)
    expect(needsHash(local(undefined, { size: 11 }), synced('h'))).toBe(true)
    expect(needsHash(local(undefined, { link: 'x' }), synced('h'))).toBe(true)
  })
})

describe('planPush', () => {
  it('sends everything the first time', () => {
    const plan = planPush({ 'a.txt': local('ha'), 'b/c.txt': local('hc') }, {})
    expect(plan).toMatchObject({ upload: ['a.txt', 'b/c.txt'], remove: [], unchanged: 0 })
    expect(plan.next['a.txt']).toEqual({ size: 10, mtime: 100, mode: 0o644, hash: 'ha', remoteMtime: 100 })
  })

  it('sends only changed content or mode, and removes what is gone here', () => {
    const base = { 'same.txt': synced('h1'), 'edited.txt': synced('h2'), 'chmod.sh': synced('h3'), 'gone.txt': synced('h4') }
    const plan = planPush({ 'same.txt': local('h1'), 'edited.txt': local('h2b', { mtime: 200 }), 'chmod.sh': local('h3', { mode: 0o755 }), 'new.txt': local('h5') }, base)
    expect(plan).toMatchObject({ upload: ['chmod.sh', 'edited.txt', 'new.txt'], remove: ['gone.txt'], unchanged: 1 })
    expect(Object.keys(plan.next).sort()).toEqual(['chmod.sh', 'edited.txt', 'new.txt', 'same.txt'])
  })

  it('a touched file with the same content is not sent, and keeps the mtime the volume has', () => {
    const plan = planPush({ 't.txt': local('h', { mtime: 300 }) }, { 't.txt': synced('h') })
    expect(plan.upload).toEqual([])
    expect(plan.next['t.txt']).toMatchObject({ mtime: 300, remoteMtime: 100 })
  })
})

describe('pullCandidates', () => {
  const ignored = (p: string) => p.startsWith('out/')

  it('fetches what is new or moved in the volume and not ignored; gone are files synced before and missing there', () => {
    const base = { 'same.txt': synced('h'), 'moved.txt': synced('h'), 'gone.txt': synced('h') }
    const remote = { 'same.txt': { size: 10, mtime: 100, mode: 0o644 }, 'moved.txt': { size: 10, mtime: 150, mode: 0o644 }, 'made.txt': { size: 3, mtime: 1, mode: 0o600 }, 'out/x.bin': { size: 1, mtime: 1, mode: 0o644 } }
    expect(pullCandidates(remote, base, ignored)).toEqual({ fetch: ['made.txt', 'moved.txt'], gone: ['gone.txt'] })
  })
})

describe('decideFetched and decideGone', () => {
  it('writes over a local file only when it is as last synced; a local change is a conflict', () => {
    expect(decideFetched('r', undefined, undefined)).toBe('write')
    expect(decideFetched('r', local('h'), synced('h'))).toBe('write')
    expect(decideFetched('r', local('r'), synced('h'))).toBe('same')
    expect(decideFetched('r', local('mine'), synced('h'))).toBe('conflict')
    expect(decideFetched('r', local('mine'), undefined)).toBe('conflict')
  })

  it('deletes here only an unchanged file', () => {
    expect(decideGone(local('h'), synced('h'))).toBe('delete')
    expect(decideGone(local('mine'), synced('h'))).toBe('conflict')
    expect(decideGone(undefined, synced('h'))).toBe('forget')
  })
})
