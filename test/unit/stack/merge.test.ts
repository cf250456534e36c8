import { describe, expect, it } from 'vitest'
import { mergeLayers, type MergeLayer } from '../../../src/stack/merge.js'
import { parseStackText } from '../../../src/stack/parse.js'

function layer(text: string, file: string): MergeLayer {
  return parseStackText(text, `/x/${file}`, file)
}

function merge(...texts: string[]) {
  return mergeLayers(texts.map((t, i) => layer(t, `f${i}.toml`)))
}

describe('merge rules', () => {
  it.each([
    ['tables deep-merge', ['[gpu]\nmode = "auto"', '[gpu]\ncuda = "12.1"'], { gpu: { mode: 'auto', cuda: '12.1' } }],
    ['later scalars win', ['[gpu]\nmode = "auto"', '[gpu]\nmode = "none"'], { gpu: { mode: 'none' } }],
    ['maps merge per key', ['[env]\nA = "1"\nB = "1"', '[env]\nB = "2"\nC = "2"'], { env: { A: '1', B: '2', C: '2' } }],
    ['lists append without duplicates', ['[run]\nports = ["8000", "8888"]', '[run]\nports = ["8888", "9000"]'], { run: { ports: ['8000', '8888', '9000'] } }],
    ['pip: same name replaces in place', ['[packages]\npip = ["torch==2.2", "numpy"]', '[packages]\npip = ["scipy", "torch==2.3.1"]'], { packages: { pip: ['torch==2.3.1', 'numpy', 'scipy'] } }],
    ['pip: names compare as pip does (PEP 503)', ['[packages]\npip = ["Opencv_Python>=4"]', '[packages]\npip = ["opencv-python==4.9.0.80"]'], { packages: { pip: ['opencv-python==4.9.0.80'] } }],
    ['pip: extras and markers keep the name', ['[packages]\npip = ["black"]', '[packages]\npip = ["black[jupyter]>=24 ; python_version >= \\"3.9\\""]'], { packages: { pip: ['black[jupyter]>=24 ; python_version >= "3.9"'] } }],
    ['apt: a version pin replaces the bare name', ['[packages]\napt = ["git", "ffmpeg"]', '[packages]\napt = ["ffmpeg=7:5.1.4-0+deb12u1"]'], { packages: { apt: ['git', 'ffmpeg=7:5.1.4-0+deb12u1'] } }],
    ['npm: scoped names replace', ['[packages]\nnpm = ["@types/node@^20", "express"]', '[packages]\nnpm = ["@types/node@^22"]'], { packages: { npm: ['@types/node@^22', 'express'] } }],
    ['maven: group:artifact replaces', ['[packages]\nmaven = ["org.slf4j:slf4j-api:2.0.12"]', '[packages]\nmaven = ["org.slf4j:slf4j-api:2.0.13"]'], { packages: { maven: ['org.slf4j:slf4j-api:2.0.13'] } }],
    ['run.command is replaced whole', ['[run]\ncommand = ["python", "-m", "http.server"]', '[run]\ncommand = ["bash"]'], { run: { command: ['bash'] } }],
    ['a key only in the base survives', ['[python]\nversion = "3.11"', '[node]\nversion = "20"'], { python: { version: '3.11' }, node: { version: '20' } }],
    ['inline tables merge like tables', ['[run]\nulimits = { memlock = -1 }', '[run.ulimits]\nstack = 1024'], { run: { ulimits: { memlock: -1, stack: 1024 } } }],
    ['name and extends are not inherited', ['name = "base"\nextends = "pytorch"', 'description = "x"'], { description: 'x' }],
    ['three layers apply in order', ['[gpu]\nmode = "auto"', '[gpu]\nmode = "none"', '[gpu]\nmode = "required"'], { gpu: { mode: 'required' } }],
  ])('%s', (_, texts, expected) => {
    expect(merge(...texts).table).toEqual(expected)
  })

  it('records where each leaf was last set', () => {
    const { provenance } = merge('[gpu]\nmode = "auto"\ncuda = "12.1"\n', '\n[gpu]\nmode = "none"\n')
    expect(provenance['gpu.mode']).toEqual({ file: 'f1.toml', line: 3, column: 1, keyPath: 'gpu.mode' })
    expect(provenance['gpu.cuda']).toEqual({ file: 'f0.toml', line: 3, column: 1, keyPath: 'gpu.cuda' })
  })

  it('records list elements by their merged index and the file that wrote them', () => {
    const { provenance } = merge('[packages]\npip = ["torch==2.2", "numpy"]\n', '[packages]\npip = [\n  "scipy",\n  "torch==2.3.1",\n]\n')
    expect(provenance['packages.pip[0]']).toEqual({ file: 'f1.toml', line: 4, column: 3, keyPath: 'packages.pip[1]' })
    expect(provenance['packages.pip[1]']).toMatchObject({ file: 'f0.toml', line: 2, column: 22 })
    expect(provenance['packages.pip[2]']).toMatchObject({ file: 'f1.toml', line: 3 })
    expect(provenance['packages.pip']).toMatchObject({ file: 'f1.toml', line: 2 })
  })

  it('drops element provenance beyond a replaced list', () => {
    const { provenance } = merge('[run]\ncommand = ["a", "b", "c"]\n', '[run]\ncommand = ["x"]\n')
    expect(Object.keys(provenance).filter((k) => k.startsWith('run.command')).sort()).toEqual(['run.command', 'run.command[0]'])
  })
})
