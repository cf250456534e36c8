import { describe, expect, it } from 'vitest'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import { renderDockerfile } from '../../../src/render/render-dockerfile.js'
import type { ResolvedStack } from '../../../src/resolvers/types.js'
import { parseDockerfile } from './dockerfile-parser.js'
import { loadResolved } from './fixtures.js'

/** Deep copy with every object's keys in reverse insertion order (arrays keep their order). */
function reverseKeys<T>(value: T): T {
  if (Array.isArray(value)) return value.map(reverseKeys) as T
  if (value === null || typeof value !== 'object') return value
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reverseKeys(v)]),
  ) as T
}

const linesBefore = (text: string, marker: string): string[] => {
  const lines = text.split('\n')
  const at = lines.findIndex((l) => l.startsWith(marker))
  expect(at, `no line starting with ${marker}`).toBeGreaterThan(0)
  return lines.slice(0, at)
}

/** The RUN whose text contains `needle`, continuations joined. */
const runWith = (text: string, needle: string): string =>
  parseDockerfile(text).instructions.find((i) => i.keyword === 'RUN' && i.args.includes(needle))?.args ?? ''

describe('renderDockerfile: determinism', () => {
  it.each(['pytorch-cpu', 'legacy-2018', 'with-mirrors', 'with-env', 'java-maven'])('%s renders identically twice', (name) => {
    expect(renderDockerfile(loadResolved(name))).toBe(renderDockerfile(loadResolved(name)))
  })

  it.each(['pytorch-cpu', 'legacy-2018', 'with-mirrors', 'with-env', 'java-maven'])(
    '%s ignores the insertion order of keys and the order of package lists',
    (name) => {
      const r = loadResolved(name)
      const shuffled = reverseKeys(r)
      shuffled.pip.reverse()
      shuffled.apt.reverse()
      shuffled.npm.reverse()
      shuffled.maven.reverse()
      expect(renderDockerfile(shuffled)).toBe(renderDockerfile(r))
    },
  )
})

describe('renderDockerfile: layer order', () => {
  it('changing only a user pip package leaves every line before the user packages untouched', () => {
    const a = loadResolved('pytorch-cpu')
    const b = loadResolved('pytorch-cpu')
    b.pip = b.pip.map((p) => (p.name === 'numpy' ? { ...p, version: '2.0.2', requirement: 'numpy==2.0.2' } : p))
    const [ta, tb] = [renderDockerfile(a), renderDockerfile(b)]
    expect(tb).not.toBe(ta)
    expect(linesBefore(tb, '# User packages')).toEqual(linesBefore(ta, '# User packages'))
    expect(linesBefore(ta, '# User packages').join('\n')).toContain('torch==2.13.0+cpu')
  })

  it('changing only labels or env changes no instruction before them', () => {
    const a = loadResolved('with-env')
    const b = loadResolved('with-env')
    b.matrixVersion = '2027.01.01'
    b.stack = 'renamed'
    b.env = { ...b.env, NEW: 'value' }
    const instructionsBefore = (r: ResolvedStack) =>
      linesBefore(renderDockerfile(r), '# Environment').filter((l) => !l.startsWith('#'))
    expect(instructionsBefore(b)).toEqual(instructionsBefore(a))
  })

  it('puts sections in cache order: FROM, apt, venv, framework, user, workspace, env, labels, CMD', () => {
    const r = loadResolved('pytorch-cpu')
    r.env = { A: '1' }
    const text = renderDockerfile(r)
    const order = ['FROM ', 'RUN --mount=type=cache,id=envctl-apt', 'RUN umask 0000', '# Framework packages', '# User packages', 'WORKDIR', 'ENV A=', 'LABEL', 'CMD']
    const positions = order.map((m) => text.indexOf(m))
    expect(positions.every((p) => p >= 0)).toBe(true)
    expect([...positions].sort((x, y) => x - y)).toEqual(positions)
  })

  it('instructions end with LABELs then CMD, and the first line is not a parser directive', () => {
    const text = renderDockerfile(loadResolved('pytorch-cpu'))
    const keywords = parseDockerfile(text).instructions.map((i) => i.keyword)
    expect(keywords.slice(-6)).toEqual(['LABEL', 'LABEL', 'LABEL', 'LABEL', 'LABEL', 'CMD'])
    expect(text.split('\n')[0]).not.toMatch(/^#\s*[a-zA-Z][a-zA-Z0-9]*\s*=/)
    expect(text).not.toMatch(/^# *syntax/m)
  })
})

describe('renderDockerfile: pip layers', () => {
  it('puts framework packages and companions in the framework layer, the rest in the user layer', () => {
    const text = renderDockerfile(loadResolved('legacy-2018'))
    const framework = runWith(text, "'mxnet-cu90==1.4.1'")
    expect(framework).toContain("'tensorflow-gpu==1.12.0'")
    expect(framework).toContain("'torch==0.4.1'")
    expect(framework).not.toContain('numpy')
    expect(runWith(text, "'numpy==1.14.5'")).toContain("'torch==0.4.1'")
  })

  it('classifies tensorflow[and-cuda] by its name and companions by their reason', () => {
    const tf = renderDockerfile(loadResolved('tensorflow-gpu'))
    expect(runWith(tf, 'tensorflow[and-cuda]')).not.toContain('pandas')
    const torch = renderDockerfile(loadResolved('pytorch-gpu-cu126'))
    expect(runWith(torch, "'torch==2.8.0+cu126'")).toContain("'torchaudio==2.8.0+cu126'")
    expect(runWith(torch, "'torch==2.8.0+cu126'")).not.toContain('jupyterlab')
  })

  it('gives every pip, npm and maven step its cache mount and leaves no cache in a layer', () => {
    const mounts: Array<[kind: string, step: string, mount: RegExp]> = [
      ['pip', 'pip install', /--mount=type=cache,target=\/root\/\.cache\/pip/],
      ['npm', 'npm install', /--mount=type=cache,target=\/root\/\.npm/],
      ['mvn', 'mvn ', /--mount=type=cache,target=\/root\/\.m2/],
      ['apt', 'apt-get', /target=\/var\/lib\/apt,sharing=locked/],
    ]
    const seen = new Set<string>()
    for (const name of ['pytorch-cpu', 'with-mirrors', 'java-maven']) {
      for (const ins of parseDockerfile(renderDockerfile(loadResolved(name))).instructions) {
        for (const [kind, step, mount] of mounts) {
          if (!ins.args.includes(step)) continue
          seen.add(kind)
          expect(ins.args).toMatch(mount)
        }
        expect(ins.args).not.toContain('--no-cache-dir')
      }
    }
    // Every kind of step was found, so none of the checks above went unexercised.
    expect([...seen].sort()).toEqual(['apt', 'mvn', 'npm', 'pip'])
  })

  it('installs python3 from apt only when the base has none', () => {
    expect(runWith(renderDockerfile(loadResolved('legacy-2018')), 'apt-get')).toContain("'python3-venv'")
    expect(renderDockerfile(loadResolved('pytorch-cpu'))).not.toContain("'python3-venv'")
  })
})

describe('renderDockerfile: runtime details', () => {
  it('pins the base by digest when the lock has one', () => {
    const r = loadResolved('pytorch-cpu')
    r.base.digest = `sha256:${'ab'.repeat(32)}`
    expect(renderDockerfile(r)).toContain(`\nFROM python:3.11-slim-bookworm@sha256:${'ab'.repeat(32)}\n`)
  })

  it('sets NVIDIA_DRIVER_CAPABILITIES only for GPU stacks', () => {
    expect(renderDockerfile(loadResolved('pytorch-gpu-cu126'))).toContain('NVIDIA_DRIVER_CAPABILITIES=compute,utility')
    expect(renderDockerfile(loadResolved('pytorch-cpu'))).not.toContain('NVIDIA_')
  })

  it('keeps the maven mirror settings out of the image', () => {
    const run = runWith(renderDockerfile(loadResolved('java-maven-mirror')), 'mvn ')
    expect(run).toMatch(/> \/tmp\/envctl-maven-settings\.xml/)
    expect(run.trimEnd()).toMatch(/&& rm -f \/tmp\/envctl-maven-settings\.xml$/)
    expect(run).toContain('?a=1&amp;b=2')
  })

  it.each([
    ['npm packages without the node runtime', (r: ResolvedStack) => void r.npm.push('express@5.1.0'), 'pytorch-cpu'],
    ['maven artifacts without a maven image', (r: ResolvedStack) => void r.maven.push('a:b:1'), 'node'],
    ['an unknown runtime', (r: ResolvedStack) => void (r.runtime = 'ruby' as ResolvedStack['runtime']), 'node'],
    ['a requirement that names another package', (r: ResolvedStack) => void (r.pip[0]!.requirement = 'scipy'), 'pytorch-cpu'],
    ['an empty command', (r: ResolvedStack) => void (r.run.command = []), 'node'],
  ])('refuses %s', (_what, mutate, fixture) => {
    const r = loadResolved(fixture)
    mutate(r)
    expect(() => renderDockerfile(r)).toThrow(EnvctlError)
  })
})
