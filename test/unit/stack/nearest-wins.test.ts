import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { formatLocation } from '../../../src/errors/envctl-error.js'
import { loadStack } from '../../../src/stack/load.js'
import { mergeLayers } from '../../../src/stack/merge.js'
import { parseStackText } from '../../../src/stack/parse.js'
import { caught, renderError, stackDir } from './helpers.js'

function load(files: Record<string, string>) {
  const dir = stackDir(files)
  return loadStack(join(dir, 'envctl.toml'), { cwd: dir })
}

describe('loading: a framework constraint in a nearer layer replaces the inherited ones', () => {
  it('a pip pin drops the built-in [frameworks] range, and the spec says what it overrode and where', () => {
    const spec = load({ 'envctl.toml': 'extends = "pytorch"\n[packages]\npip = ["torch==1.13.1"]\n' })
    expect(spec.frameworks).toEqual({})
    expect(spec.packages.pip).toEqual(['numpy', 'torch==1.13.1'])
    expect(spec.overridden).toEqual([
      {
        key: 'frameworks.pytorch',
        value: '>=2.0',
        at: { file: 'stacks/pytorch.toml', builtin: 'pytorch', line: 14, column: 1, keyPath: 'frameworks.pytorch' },
        by: expect.objectContaining({ file: 'envctl.toml', line: 3, column: 8 }),
      },
    ])
  })

  it('a [frameworks] range drops inherited pins of every package name of that framework, and re-indexes provenance', () => {
    const spec = load({
      'base.toml': 'extends = "tensorflow-gpu"\n[packages]\npip = ["scipy", "tensorflow-gpu==1.12.0", "tensorflow-cpu==1.12.0", "pandas"]\n',
      'envctl.toml': 'extends = "./base.toml"\n[frameworks]\ntensorflow = "~2.16"\n',
    })
    expect(spec.frameworks).toEqual({ tensorflow: '~2.16' })
    expect(spec.packages.pip).toEqual(['scipy', 'pandas'])
    expect(spec.provenance['packages.pip[1]']).toMatchObject({ file: 'base.toml', line: 3, column: 69 })
    expect(spec.provenance['packages.pip[2]']).toBeUndefined()
    expect(spec.overridden?.map((o) => [o.key, o.value])).toEqual([
      ['frameworks.tensorflow', '>=2.14'],
      ['packages.pip', 'tensorflow-gpu==1.12.0'],
      ['packages.pip', 'tensorflow-cpu==1.12.0'],
    ])
  })

  it('an inherited companion pin keeps its name, not its version; a bare companion is a wish, not a constraint', () => {
    const spec = load({
      'base.toml': 'extends = "pytorch"\n[packages]\npip = ["torch==2.3.1", "torchaudio==2.3.1"]\n',
      'envctl.toml': 'extends = "./base.toml"\n[packages]\npip = ["torchvision"]\n',
    })
    expect(spec.packages.pip).toEqual(['numpy', 'torch==2.3.1', 'torchaudio==2.3.1', 'torchvision'])
    const pinned = load({
      'base.toml': 'extends = "pytorch"\n[packages]\npip = ["torch==2.3.1", "torchaudio==2.3.1"]\n',
      'envctl.toml': 'extends = "./base.toml"\n[packages]\npip = ["torchvision==0.14.1"]\n',
    })
    expect(pinned.packages.pip).toEqual(['numpy', 'torchaudio', 'torchvision==0.14.1'])
    expect(pinned.frameworks).toEqual({})
  })

  it('a framework constraint in the same file as the built-in range is not a layer: nothing is dropped', () => {
    const spec = load({ 'envctl.toml': '[frameworks]\npytorch = ">=2.0"\n[packages]\npip = ["torch==2.3.1"]\n' })
    expect(spec.frameworks).toEqual({ pytorch: '>=2.0' })
    expect(spec.packages.pip).toEqual(['torch==2.3.1'])
    expect(spec.overridden).toEqual([])
  })

  it.each([
    ['inherited, with a pin nearer', 'extends = "pytorch"\n[packages]\npip = ["torch==1.13.1"]\n', true],
    ['in the file with the pin', 'extends = "pytorch"\n[python]\nversion = "3.9"\n[packages]\npip = ["torch==1.13.1"]\n', undefined],
    ['nearer than the inherited range', 'extends = "pytorch"\n[python]\nversion = "3.9"\n', undefined],
    ['inherited, nothing pinned nearer', 'extends = "pytorch"\n[packages]\npip = ["scipy"]\n', undefined],
  ])('python.version %s: preference = %s', (_, text, preference) => {
    expect(load({ 'envctl.toml': text }).python?.preference).toBe(preference)
  })

  it('a scalar a nearer file replaces is recorded with both places', () => {
    const merged = mergeLayers([parseStackText('[python]\nversion = "3.11"\n', '/b.toml', 'b.toml'), parseStackText('[python]\nversion = "3.9"\n', '/a.toml', 'a.toml')])
    expect(merged.overridden).toEqual([{ key: 'python.version', value: '3.11', at: expect.objectContaining({ file: 'b.toml', line: 2 }), by: expect.objectContaining({ file: 'a.toml', line: 2 }) }])
  })
})

describe('built-ins are named by name, never by the installed package path', () => {
  it('locations in a built-in format as `built-in NAME (stacks/NAME.toml:L:C)`', () => {
    const spec = loadStack('tensorflow-gpu', { cwd: '/' })
    expect(formatLocation(spec.provenance['frameworks.tensorflow'])).toBe('built-in tensorflow-gpu (stacks/tensorflow-gpu.toml:13:1)')
  })

  it('problems in a built-in (here a broken one in a test folder) name it the same way', () => {
    const dir = stackDir({ 'broken.toml': '[gpu]\nmode = "sometimes"\n' })
    const e = caught(() => loadStack('broken', { cwd: '/', builtinDir: dir }))
    expect(e.message).toBe('stack built-in broken (stacks/broken.toml) has 1 problem')
    expect(renderError(e)).toMatch(/^ {2}built-in broken \(stacks\/broken\.toml:2:1\): /m)
    expect(renderError(e)).not.toContain(dir)
  })

  it('a TOML syntax error in a built-in names it the same way', () => {
    const dir = stackDir({ 'broken.toml': '[gpu\n' })
    const e = caught(() => loadStack('broken', { cwd: '/', builtinDir: dir }))
    expect(renderError(e)).toMatch(/built-in broken \(stacks\/broken\.toml:1:\d+\): TOML syntax error/)
    expect(renderError(e)).not.toContain(dir)
  })
})
