import { execFileSync, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { root } from '../support/cli-sync.js'
import { isolatedEnv } from '../support/isolated-env.js'

// What `npm pack` puts in the tarball is what a user installs: it must hold everything `envctl up` needs.
// The tarball is unpacked beside nothing but the dependencies (linked), and run from an empty folder.
let dir: string
let pkg: string

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'envctl-pack-'))
  // --ignore-scripts: dist/ is already fresh (test/support/fresh-dist.ts); a user's npm pack builds it first (prepack).
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
  const tarball = JSON.parse(out)[0].filename as string
  execFileSync('tar', ['-xzf', join(dir, tarball), '-C', dir])
  pkg = join(dir, 'package')
  symlinkSync(join(root, 'node_modules'), join(pkg, 'node_modules'))
}, 120_000)

afterAll(() => rmSync(dir, { recursive: true, force: true }))

function run(args: string[]) {
  const cwd = mkdtempSync(join(dir, 'cwd-'))
  return spawnSync(process.execPath, [join(pkg, 'bin/run.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...isolatedEnv() } })
}

describe('the packed tarball', () => {
  it('holds the bin, the built code, the stacks, the matrix data and the schema', () => {
    expect(readdirSync(pkg).sort()).toEqual(expect.arrayContaining(['bin', 'dist', 'stacks', 'data', 'schema', 'package.json', 'README.md']))
    expect(readdirSync(join(pkg, 'stacks'))).toEqual(expect.arrayContaining(['pytorch.toml', 'node.toml']))
    expect(readdirSync(join(pkg, 'data', 'matrix')).length).toBeGreaterThan(3)
    expect(readdirSync(join(pkg, 'dist', 'bundle')).sort()).toEqual(['envctl.cjs', 'envctl.cjs.cache'])
    expect(readdirSync(join(pkg, 'bin'))).toEqual(expect.arrayContaining(['bundle-loader.js', 'run.js']))
    expect(readdirSync(pkg)).not.toContain('src')
    expect(readdirSync(pkg)).not.toContain('test')
  })

  it('answers --version and plans `envctl up pytorch` from there: stack, data and renderer all present', () => {
    expect(run(['--version']).stdout).toMatch(/^envctl\/\d+\.\d+\.\d+ /)
    const r = run(['dockerfile', 'pytorch', '--cpu'])
    expect(r.stderr).not.toContain('error')
    expect(r.status).toBe(0)
    expect(r.stdout).toMatch(/^FROM /m)
    expect(r.stdout).toContain('torch')
    const stacks = run(['stacks', '--json'])
    expect(JSON.parse(stacks.stdout).builtin.map((s: { name: string }) => s.name)).toContain('pytorch')
  })

  it('loads every module `up` runs through (pipeline, engine client, hooks)', () => {
    const modules = ['dist/commands/run-up.js', 'dist/environment/up/up.js', 'dist/engine/connect.js', 'dist/commands/command-not-found.js']
    const script = `for (const m of ${JSON.stringify(modules)}) await import(${JSON.stringify(pkg + '/')} + m); const { loadDockerode } = await import(${JSON.stringify(pkg + '/dist/engine/load-dockerode.js')}); console.log(typeof loadDockerode())`
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: pkg, encoding: 'utf8' })
    expect(r.stderr).toBe('')
    expect(r.stdout.trim()).toBe('function')
    expect(run(['upp']).stderr).toContain('did you mean up?')
  })
})
