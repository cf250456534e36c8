/**
 * The tooling pip layer (JupyterLab) in envctl.lock: recorded as its own layer, installed exactly from its own
 * requirements file, untouched by a user pin; a lock written before the layer existed builds as it did.
 */
import { describe, expect, it } from 'vitest'
import { installedSet, pinsOf } from '../../../src/lock/installed.js'
import { frameworkLayer } from '../../../src/lock/variant.js'
import { renderDockerfile } from '../../../src/render/render-dockerfile.js'
import { renderContextFiles } from '../../../src/render/context-files.js'
import type { PinnedPip, ResolvedStack } from '../../../src/resolvers/types.js'
import { loadResolved } from '../render/fixtures.js'

const SHA = (c: string) => c.repeat(64)

function lockedStack(pins: PinnedPip[]): ResolvedStack {
  const r = loadResolved('pytorch-gpu-cu126')
  r.pip = [...r.pip, { name: 'numpy', version: '2.2.6', requirement: 'numpy==2.2.6', reason: 'stack' }]
  r.locked = { pip: pins, releasedPip: [], apt: {}, npm: {} }
  return r
}

const threeLayers: PinnedPip[] = [
  { name: 'torch', version: '2.8.0+cu126', sha256: SHA('a'), layer: 'framework' },
  { name: 'torchvision', version: '0.23.0+cu126', sha256: SHA('a'), layer: 'framework' },
  { name: 'torchaudio', version: '2.8.0+cu126', sha256: SHA('a'), layer: 'framework' },
  { name: 'jupyterlab', version: '4.6.4', sha256: SHA('b'), layer: 'tooling' },
  { name: 'tornado', version: '6.5.2', sha256: SHA('c'), layer: 'tooling' },
  { name: 'numpy', version: '2.2.6', sha256: SHA('d'), layer: 'user' },
]

describe('the tooling pip layer in envctl.lock', () => {
  it('records tooling packages as "tooling", framework ones as "framework", the rest in the user layer', () => {
    const set = installedSet(
      [
        { name: 'torch', version: '2.8.0', layer: 'framework', sha256: SHA('a') },
        { name: 'jupyterlab', version: '4.6.4', layer: 'tooling', sha256: SHA('b') },
        { name: 'numpy', version: '2.2.6', layer: 'user', sha256: SHA('d') },
      ],
      {},
    )
    expect(set.pipLayer).toEqual({ jupyterlab: 'tooling', torch: 'framework' })
    expect(pinsOf(set).map((p) => [p.name, p.layer])).toEqual([['jupyterlab', 'tooling'], ['numpy', 'user'], ['torch', 'framework']])
    expect(frameworkLayer(set)).toEqual(['torch'])
  })

  it('a locked build installs the tooling layer exactly from its own file; a user pin changes only the user file', () => {
    const a = lockedStack(threeLayers)
    const b = lockedStack(threeLayers.map((p) => (p.name === 'numpy' ? { ...p, version: '2.1.3', sha256: SHA('e') } : p)))
    const [fa, fb] = [renderContextFiles(a), renderContextFiles(b)]
    expect(fa['envctl/pip-tooling.txt']).toContain(`jupyterlab==4.6.4 --hash=sha256:${SHA('b')}`)
    expect(fa['envctl/pip-tooling.txt']).not.toContain('numpy')
    expect(fb['envctl/pip-tooling.txt']).toBe(fa['envctl/pip-tooling.txt'])
    expect(fb['envctl/pip-user.txt']).not.toBe(fa['envctl/pip-user.txt'])
    const text = renderDockerfile(a)
    expect(text).toContain('# Tooling (JupyterLab): own layer, exactly the set envctl.lock records')
    expect(text).toMatch(/pip-report-tooling\.json python -m pip install --no-deps --require-hashes[\s\S]*-r \/tmp\/envctl\/pip-tooling\.txt/)
    expect(renderDockerfile(b)).toBe(text)
  })

  it('a lock written before the tooling layer (JupyterLab in the user layer) builds as recorded: no tooling layer', () => {
    const old = lockedStack(threeLayers.map((p) => (p.layer === 'tooling' ? { ...p, layer: 'user' as const } : p)))
    const files = renderContextFiles(old)
    expect(Object.keys(files).sort()).toEqual(['envctl/pip-framework.txt', 'envctl/pip-user.txt'])
    expect(files['envctl/pip-user.txt']).toContain('jupyterlab==4.6.4')
    expect(renderDockerfile(old)).not.toContain('# Tooling')
  })
})
