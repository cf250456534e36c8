import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkExtendsRef } from '../../../src/stack/formats/text.js'
import { GitError, type GitFetcher } from '../../../src/stack/git-fetcher.js'
import { parseGitSource } from '../../../src/stack/git-source.js'
import { loadStack } from '../../../src/stack/load.js'
import { caught, renderError, stackDir } from './helpers.js'

describe('parseGitSource', () => {
  it.each([
    ['git+https://git.example.com/team/stacks.git#main:python/base.toml', { url: 'https://git.example.com/team/stacks.git', ref: 'main', path: 'python/base.toml', key: 'git+https://git.example.com/team/stacks.git#main' }],
    ['git+ssh://git@git.example.com/team/stacks.git#v1.2.0:base.toml', { url: 'ssh://git@git.example.com/team/stacks.git', ref: 'v1.2.0', path: 'base.toml' }],
    ['git+file:///srv/git/stacks.git#release/2026:gpu/envctl.toml', { url: 'file:///srv/git/stacks.git', ref: 'release/2026', path: 'gpu/envctl.toml' }],
    ['git+https://h.example/r.git#0123456789abcdef0123456789abcdef01234567:a.toml', { ref: '0123456789abcdef0123456789abcdef01234567' }],
  ])('%s', (raw, expected) => {
    expect(parseGitSource(raw)).toMatchObject({ raw, ...expected })
  })

  it.each([
    ['git+ftp://h.example/r.git#main:a.toml', 'must be git+https://'],
    ['git+https://h.example/r.git', 'names no ref'],
    ['git+https://h.example/r.git#main', 'names no file after the ref'],
    ['git+https://h.example/r.git#main:', 'names no file after the ref'],
    ['git+https://h.example/r.git#-upload-pack=evil:a.toml', 'not a branch, tag or commit name'],
    ['git+https://h.example/r.git#a..b:a.toml', 'not a branch, tag or commit name'],
    ['git+https://h.example/r.git#main:/etc/passwd', 'absolute path'],
    ['git+https://h.example/r.git#main:../x.toml', '`.` or `..`'],
    ['git+https://h.example/r.git#main:a b.toml', 'characters other than'],
    ['git+https://h.example/r$(id).git#main:a.toml', 'has "$" in its URL'],
    ['git+file:///#main:a.toml', 'names no repository folder'],
  ])('refuses %s', (raw, reason) => {
    const r = parseGitSource(raw)
    expect('problem' in r && r.problem).toContain(reason)
    expect(checkExtendsRef(raw)).toContain(reason)
  })

  it('extends still accepts built-ins and relative paths, and refuses absolute ones', () => {
    expect(checkExtendsRef('pytorch')).toBeUndefined()
    expect(checkExtendsRef('../team/base.toml')).toBeUndefined()
    expect(checkExtendsRef('git+https://h.example/r.git#main:a.toml')).toBeUndefined()
    expect(checkExtendsRef('/abs/base.toml')).toMatch(/absolute path/)
  })
})

/** A repository as a fetcher sees it: refs that move, commits with files; records what it was asked. */
class FakeGit implements GitFetcher {
  refs: Record<string, string> = {}
  trees: Record<string, Record<string, string>> = {}
  fetched: string[] = []
  reachable = true

  commit(ref: string, sha: string, files: Record<string, string>): void {
    this.refs[ref] = sha
    this.trees[sha] = files
  }

  fetch(gitDir: string, _url: string, ref: string): string {
    this.fetched.push(ref)
    if (!this.reachable) throw new GitError('unreachable', "fatal: '/srv/nope.git' does not appear to be a git repository")
    const sha = this.trees[ref] ? ref : this.refs[ref]
    if (!sha) throw new GitError('missing-ref', `fatal: couldn't find remote ref ${ref}`)
    mkdirSync(join(gitDir, 'have'), { recursive: true })
    writeFileSync(join(gitDir, 'have', sha), '')
    return sha
  }

  has(gitDir: string, commit: string): boolean {
    return existsSync(join(gitDir, 'have', commit))
  }

  checkout(_gitDir: string, commit: string, dir: string): void {
    for (const [path, text] of Object.entries(this.trees[commit] ?? {})) {
      mkdirSync(dirname(join(dir, path)), { recursive: true })
      writeFileSync(join(dir, path), text)
    }
  }
}

const A = 'a'.repeat(40)
const B = 'b'.repeat(40)
const SOURCE = 'git+https://git.example.com/team/stacks.git#main'

function setup(extendsPath = 'python/base.toml') {
  const git = new FakeGit()
  git.commit('main', A, { 'python/base.toml': 'extends = "../common.toml"\n[frameworks]\npytorch = "~2.3"\n', 'common.toml': 'extends = "pytorch"\n[network]\nca_bundle = "certs/ca.pem"\n', 'certs/ca.pem': 'x' })
  const dir = stackDir({ 'p/envctl.toml': `extends = "${SOURCE}:${extendsPath}"\n[packages]\npip = ["requests"]\n` })
  const cacheDir = join(dir, 'cache')
  const load = (pins: Record<string, string> = {}) => loadStack(join(dir, 'p'), { cwd: join(dir, 'p'), git: { cacheDir, fetcher: git, pins } })
  return { git, dir, load }
}

describe('extends from a git source', () => {
  it('reads the file at the commit the ref points to, follows relative extends inside the repository, and records the commit', () => {
    const { load } = setup()
    const spec = load()
    expect(spec.frameworks.pytorch).toBe('~2.3')
    expect(spec.sources).toEqual({ [SOURCE]: A })
    expect(spec.provenance['frameworks.pytorch']).toMatchObject({ file: `${SOURCE}:python/base.toml`, line: 3 })
    expect(spec.provenance['network.ca_bundle']).toMatchObject({ file: `${SOURCE}:common.toml` })
    expect(spec.network.caBundle).toMatch(new RegExp(`/trees/${A}/certs/ca\\.pem$`))
  })

  it('a pinned commit is used even when the ref has moved, from the cache without fetching', () => {
    const { git, load } = setup()
    load()
    git.commit('main', B, { 'python/base.toml': 'extends = "pytorch"\n[frameworks]\npytorch = "~2.4"\n' })
    git.fetched = []
    const pinned = load({ [SOURCE]: A })
    expect(pinned.frameworks.pytorch).toBe('~2.3')
    expect(pinned.sources).toEqual({ [SOURCE]: A })
    expect(git.fetched).toEqual([])
    const moved = load()
    expect(moved.frameworks.pytorch).toBe('~2.4')
    expect(moved.sources).toEqual({ [SOURCE]: B })
  })

  it('a pinned commit missing from the cache is fetched by its id', () => {
    const { git, load } = setup()
    load({ [SOURCE]: A })
    expect(git.fetched).toEqual([A])
  })

  it('an unreachable repository is NOT_FOUND at the extends line, with a hint', () => {
    const { git, load } = setup()
    git.reachable = false
    const err = caught(() => load())
    expect(err.code).toBe('NOT_FOUND')
    expect(renderError(err)).toMatch(/cannot fetch https:\/\/git\.example\.com\/team\/stacks\.git: fatal: .*does not appear to be a git repository\n  envctl\.toml:1:1: extended here \(extends\)\n  fix: check the URL and your access/)
  })

  it('a missing ref, or a pinned commit that is gone, is NOT_FOUND with what to run', () => {
    const { git, load } = setup()
    delete git.refs.main
    expect(caught(() => load()).message).toMatch(/has no ref "main"/)
    const gone = caught(() => load({ [SOURCE]: B }))
    expect(gone.message).toMatch(/has no commit bbbbbbbbbbbb, which envctl\.lock pins/)
    expect(gone.hint).toMatch(/envctl lock --upgrade/)
  })

  it('a path the commit does not have is an INVALID_STACK problem at the extends line', () => {
    const { load } = setup('python/gone.toml')
    const err = caught(() => load())
    expect(err.code).toBe('INVALID_STACK')
    expect(renderError(err)).toContain(`envctl.toml:1:1: extends "${SOURCE}:python/gone.toml": no file python/gone.toml in https://git.example.com/team/stacks.git at main (commit ${A.slice(0, 12)}) (extends)`)
  })

  it('a file of a git source may not extend a file outside its repository', () => {
    const { git, load } = setup()
    git.commit('main', B, { 'python/base.toml': 'extends = "../../outside.toml"\n' })
    expect(renderError(caught(() => load()))).toMatch(/extends "\.\.\/\.\.\/outside\.toml" leaves the git source/)
  })

  it('without a git context (no CLI), a git extends is a problem, not a crash', () => {
    const dir = stackDir({ 'envctl.toml': `extends = "${SOURCE}:a.toml"\n` })
    expect(caught(() => loadStack(dir, { cwd: dir })).problems[0].message).toMatch(/git sources cannot be followed here/)
  })
})
