import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadProjectStack, loadStack, MAX_EXTENDS_DEPTH } from '../../../src/stack/load.js'
import { builtinNames, defaultBuiltinDir } from '../../../src/stack/stack-ref.js'
import { caught, stackDir } from './helpers.js'

describe('loadStack: built-ins', () => {
  it.each(builtinNames(defaultBuiltinDir()))('built-in %s loads and validates', (name) => {
    const spec = loadStack(name, { cwd: '/' })
    expect(spec.name).toBe(name)
    expect(spec.origin).toBe(name)
    expect(spec.description).toBeTruthy()
    expect(spec.dir).toBeUndefined()
  })

  it('ships the four documented stacks', () => {
    expect(builtinNames(defaultBuiltinDir())).toEqual(['java', 'node', 'pytorch', 'tensorflow-gpu'])
  })

  it('pytorch has its documented values and defaults', () => {
    const spec = loadStack('pytorch', { cwd: '/' })
    expect(spec).toMatchObject({
      python: { version: '3.11' },
      frameworks: { pytorch: '>=2.0' },
      gpu: { mode: 'auto' },
      notebook: { enabled: false },
      packages: { pip: ['numpy'], apt: [], npm: [], maven: [] },
      env: {}, mirrors: {}, network: {}, run: {},
    })
  })

  it('an unknown name is NOT_FOUND with a suggestion', () => {
    const err = caught(() => loadStack('pytroch', { cwd: '/' }))
    expect(err.code).toBe('NOT_FOUND')
    expect(err.message).toContain('did you mean `pytorch`?')
    expect(err.hint).toContain('java, node, pytorch, tensorflow-gpu')
  })
})

describe('loadStack: extends', () => {
  it('extends a built-in: lists append, scalars override, camelCase fields', () => {
    const dir = stackDir({
      'vision-lab/envctl.toml': `extends = "pytorch"\n[packages]\npip = ["opencv-python-headless", "numpy>=1.26"]\n[mirrors]\npip_extra = ["https://m.example/simple"]\n[network]\nbuild_network = "host"\n`,
    })
    const spec = loadStack(join(dir, 'vision-lab'), { cwd: dir })
    expect(spec.name).toBe('vision-lab')
    expect(spec.extends).toBe('pytorch')
    expect(spec.origin).toBe('vision-lab/envctl.toml')
    expect(spec.dir).toBe(join(dir, 'vision-lab'))
    expect(spec.chain).toEqual([join(defaultBuiltinDir(), 'pytorch.toml'), join(dir, 'vision-lab/envctl.toml')])
    expect(spec.packages.pip).toEqual(['numpy>=1.26', 'opencv-python-headless'])
    expect(spec.mirrors.pipExtra).toEqual(['https://m.example/simple'])
    expect(spec.network.buildNetwork).toBe('host')
    expect(spec.frameworks).toEqual({ pytorch: '>=2.0' })
  })

  it('follows a chain of three files with relative paths, base first', () => {
    const dir = stackDir({
      'team/base.toml': `[python]\nversion = "3.10"\n[env]\nA = "base"\nB = "base"\n`,
      'team/gpu.toml': `extends = "./base.toml"\n[gpu]\nmode = "required"\n[env]\nB = "gpu"\n`,
      'app/envctl.toml': `extends = "../team/gpu.toml"\nname = "my-app"\n[env]\nC = "app"\n`,
    })
    const spec = loadStack('app', { cwd: dir })
    expect(spec.chain.map((p) => p.slice(dir.length + 1))).toEqual(['team/base.toml', 'team/gpu.toml', 'app/envctl.toml'])
    expect(spec.env).toEqual({ A: 'base', B: 'gpu', C: 'app' })
    expect(spec.gpu.mode).toBe('required')
    expect(spec.python?.version).toBe('3.10')
    expect(spec.name).toBe('my-app')
    expect(spec.provenance['env.B']).toMatchObject({ file: 'team/gpu.toml', line: 5, column: 1 })
    expect(spec.provenance['python.version']).toMatchObject({ file: 'team/base.toml', line: 2 })
    expect(spec.provenance.name).toMatchObject({ file: 'app/envctl.toml', line: 2 })
  })

  it('does not inherit name from a base', () => {
    const dir = stackDir({ 'base.toml': 'name = "base"\n', 'My Project!/envctl.toml': 'extends = "../base.toml"\n' })
    expect(loadStack('My Project!', { cwd: dir }).name).toBe('my-project')
  })

  it('reports a cycle with the whole chain', () => {
    const dir = stackDir({ 'a.toml': 'extends = "./b.toml"\n', 'b.toml': 'extends = "./c.toml"\n', 'c.toml': '\n\nextends = "./a.toml"\n' })
    const err = caught(() => loadStack('a.toml', { cwd: dir }))
    expect(err.code).toBe('INVALID_STACK')
    expect(err.exitCode).toBe(2)
    expect(err.problems).toEqual([
      { message: 'extends cycle: a.toml → b.toml → c.toml → a.toml', location: { file: 'c.toml', line: 3, column: 1, keyPath: 'extends' } },
    ])
  })

  it(`stops at ${MAX_EXTENDS_DEPTH} files`, () => {
    const files: Record<string, string> = {}
    for (let i = 0; i <= MAX_EXTENDS_DEPTH; i++) files[`s${i}.toml`] = `extends = "./s${i + 1}.toml"\n`
    files[`s${MAX_EXTENDS_DEPTH + 1}.toml`] = ''
    const err = caught(() => loadStack('s0.toml', { cwd: stackDir(files) }))
    expect(err.problems[0].message).toMatch(/^extends chain is longer than 8 files: s0.toml → .* → s8.toml$/)
  })

  it('a missing extends target is a located problem', () => {
    const dir = stackDir({ 'envctl.toml': '# base\nextends = "../nope/base.toml"\n' })
    const err = caught(() => loadStack(dir, { cwd: dir }))
    expect(err.problems[0]).toMatchObject({ location: { file: 'envctl.toml', line: 2, column: 1, keyPath: 'extends' } })
    expect(err.problems[0].message).toContain('no stack file at')
  })

  it('collects problems from every file in the chain', () => {
    const dir = stackDir({ 'base.toml': '[gpu]\nmode = "sometimes"\n', 'envctl.toml': 'extends = "./base.toml"\n[notebook]\nport = 0\n' })
    const err = caught(() => loadStack('.', { cwd: dir }))
    expect(err.problems.map((p) => `${p.location?.file}:${p.location?.keyPath}`)).toEqual(['envctl.toml:notebook.port', 'base.toml:gpu.mode'])
  })

  it('a syntax error in a base still reports the top file', () => {
    const dir = stackDir({ 'base.toml': '[gpu\n', 'envctl.toml': 'extends = "./base.toml"\ncolour = 1\n' })
    const err = caught(() => loadStack('envctl.toml', { cwd: dir }))
    expect(err.problems.map((p) => p.location?.file)).toEqual(['envctl.toml', 'base.toml'])
    expect(err.problems[1].message).toMatch(/^TOML syntax error/)
  })
})

describe('loadProjectStack', () => {
  it('loads envctl.toml from cwd', () => {
    const dir = stackDir({ 'envctl.toml': 'extends = "node"\n[packages]\nnpm = ["express@^4.18"]\n' })
    const spec = loadProjectStack(dir)
    expect(spec.node).toEqual({ version: '24' })
    expect(spec.packages.npm).toEqual(['express@^4.18'])
    expect(spec.gpu.mode).toBe('none')
  })

  it('without envctl.toml, says how to make one', () => {
    const err = caught(() => loadProjectStack(stackDir({})))
    expect(err.code).toBe('NOT_FOUND')
    expect(err.hint).toContain('envctl init pytorch')
  })
})
