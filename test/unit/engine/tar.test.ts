import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { buildContext } from '../../../src/engine/docker-build.js'
import { firstFileInTar, packTar } from '../../../src/engine/tar.js'

const dir = mkdtempSync(join(tmpdir(), 'envctl-tar-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** GNU tar's own listing of an archive: the independent check that what we write is a valid tar. */
function gnuList(archive: Buffer): string[] {
  const file = join(dir, `t-${Math.random().toString(36).slice(2)}.tar`)
  writeFileSync(file, archive)
  return execFileSync('tar', ['--numeric-owner', '-tvf', file], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.replace(/\s+/g, ' ').replace(/ \d{4}-\d\d-\d\d \d\d:\d\d /, ' '))
}

describe('packTar', () => {
  it('writes files with their mode and owner, and parent directories owned the same', () => {
    const archive = packTar([
      { path: '.config/envctl/settings.json', content: '{"a":1}\n', mode: 0o600, uid: 1000, gid: 1001 },
      { path: 'run.sh', content: '#!/bin/sh\n', mode: 0o755 },
    ])
    expect(gnuList(archive)).toEqual([
      'drwxr-xr-x 1000/1001 0 .config/',
      'drwxr-xr-x 1000/1001 0 .config/envctl/',
      '-rw------- 1000/1001 8 .config/envctl/settings.json',
      '-rwxr-xr-x 0/0 10 run.sh',
    ])
  })

  it('writes symbolic links as links, with their owner, and keeps each file\'s mtime', () => {
    const archive = packTar([
      { path: 'docs/latest.md', content: '', link: 'v2.md', uid: 1500, gid: 1500 },
      { path: 'docs/v2.md', content: '# v2\n', uid: 1500, gid: 1500, mtime: 1_700_000_000 },
    ])
    expect(gnuList(archive)).toEqual(['drwxr-xr-x 1500/1500 0 docs/', 'lrwxrwxrwx 1500/1500 0 docs/latest.md -> v2.md', '-rw-r--r-- 1500/1500 5 docs/v2.md'])
    const file = join(dir, 'mtime.tar')
    writeFileSync(file, archive)
    expect(execFileSync('tar', ['--full-time', '--utc', '-tvf', file], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } })).toContain('2023-11-14 22:13:20 docs/v2.md')
  })

  it('is byte-identical for the same files in any order', () => {
    const a = packTar([{ path: 'b', content: '2' }, { path: 'a', content: '1' }])
    const b = packTar([{ path: 'a', content: '1' }, { path: 'b', content: '2' }])
    expect(a.equals(b)).toBe(true)
  })

  it('stores paths longer than 100 bytes in a PAX header', () => {
    const deep = `${'deep/'.repeat(30)}file-ü.txt`
    expect(gnuList(packTar([{ path: deep, content: 'x' }])).at(-1)).toBe(`-rw-r--r-- 0/0 1 ${deep}`)
    const long = `${'f'.repeat(120)}-ü.txt`
    expect(firstFileInTar(packTar([{ path: long, content: 'x' }]))).toEqual({ name: long, content: Buffer.from('x') })
  })

  it('rejects paths that climb out of the destination', () => {
    expect(() => packTar([{ path: '../etc/passwd', content: '' }])).toThrow(/invalid archive path/)
  })
})

describe('firstFileInTar', () => {
  it('reads the file from an archive GNU tar wrote', () => {
    writeFileSync(join(dir, 'hello.txt'), 'héllo\n')
    execFileSync('tar', ['-cf', join(dir, 'gnu.tar'), '-C', dir, 'hello.txt'])
    expect(firstFileInTar(readFileSync(join(dir, 'gnu.tar')))).toEqual({ name: 'hello.txt', content: Buffer.from('héllo\n') })
  })

  it('finds nothing when the archive starts with a directory (getArchive of a directory)', () => {
    expect(firstFileInTar(packTar([{ path: 'dir/file.txt', content: 'x' }]))).toBeUndefined()
    expect(firstFileInTar(Buffer.alloc(1024))).toBeUndefined()
  })
})

describe('buildContext', () => {
  it('puts the Dockerfile text and extra files into the context, in memory', () => {
    const context = buildContext({ dockerfile: 'FROM scratch\n', contextFiles: { 'requirements.txt': 'numpy\n' } })
    expect(gnuList(context).map((l) => l.split(' ').at(-1))).toEqual(['Dockerfile', 'requirements.txt'])
    expect(firstFileInTar(context)?.content.toString()).toBe('FROM scratch\n')
  })

  it('refuses a context file that would replace the generated Dockerfile', () => {
    expect(() => buildContext({ dockerfile: 'FROM scratch', contextFiles: { './Dockerfile': 'x' } })).toThrow(/may not be called Dockerfile/)
  })
})
