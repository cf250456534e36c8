import { describe, it, expect } from 'vitest'
import { loadMatrix } from '../../../src/matrix/load.js'
import type { ConfidenceMap } from '../../../src/matrix/types.js'

const m = loadMatrix()

function torch(version: string) {
  return m.torch.releases.find((r) => r.torch === version)!
}

function torchVariant(version: string, name: string) {
  return torch(version).variants.find((v) => v.name === name)!
}

/** Facts the source marks ❓ (not confirmed): the data may hold a best guess, but must say it is unconfirmed. */
const unconfirmedFacts: Array<[string, () => ConfidenceMap | undefined, string]> = [
  ['torch 1.2.0 torchaudio (0.3.0 ❓)', () => torch('1.2.0').confidence, 'torchaudio'],
  ['torch 1.3.0 torchvision (0.4.1 ❓)', () => torch('1.3.0').confidence, 'torchvision'],
  ['torch 1.3.1 variants (not on the page ❓)', () => torch('1.3.1').confidence, 'variants'],
  ['torch 1.3.1 python (❓)', () => torch('1.3.1').confidence, 'python'],
  ['torch 1.3.0 PyPI default (❓ 10.1)', () => torch('1.3.0').confidence, 'pypiVariant'],
  ['torch 1.3.0+cu101 existence (❓)', () => torchVariant('1.3.0', 'cu101').confidence, 'exists'],
  ['torch 1.6.0 torchaudio (0.6.0 ❓)', () => torch('1.6.0').confidence, 'torchaudio'],
  ['torch 2.7.0 PyPI default (❓)', () => torch('2.7.0').confidence, 'pypiVariant'],
  ['CUDA 9.x sm_72 (❓)', () => m.cuda.archChanges.find((c) => c.adds.includes('7.2'))?.confidence, 'adds'],
  ['TF 1.12 arch list (❓)', () => m.tensorflow.releases.find((r) => r.minor === '1.12')?.confidence, 'archs'],
  ['base image ubuntu16.04 python (general knowledge)', () => m.baseImages.os.find((o) => o.id === 'ubuntu16.04')?.confidence, 'python'],
  ['python:3.15 image (only 3.15-rc is published)', () => m.baseImages.python.find((p) => p.python === '3.15')?.confidence, 'image'],
  ['python:3.9 image (EOL line, not in the official-images file read)', () => m.baseImages.python.find((p) => p.python === '3.9')?.confidence, 'image'],
  ['CUDA 13.5 driver minimum (not read)', () => m.cuda.toolkits.find((t) => t.version === '13.5.0')?.confidence, 'minDriverLinux'],
  ['node 24 image (general knowledge)', () => m.languages.node.find((n) => n.major === 24)?.confidence, 'image'],
]

describe('facts marked ❓ carry an unconfirmed mark', () => {
  it.each(unconfirmedFacts)('%s', (_what, confidenceOf, field) => {
    expect(confidenceOf()?.[field]).toBe('unconfirmed')
  })

  it('a ❓ pairing left unknown stays null instead of being filled in', () => {
    const unknownDefault = m.torch.releases.filter((r) => r.pypiVariant === null).map((r) => r.torch)
    expect(unknownDefault).toEqual(expect.arrayContaining(['1.0.0', '1.1.0', '0.4.1.post2']))
    expect(m.cuda.toolkits.filter((t) => t.minDriverLinux === null).map((t) => t.version)).toEqual(['13.3.1', '13.4.1', '13.4.2', '13.5.0'])
  })

  it('facts read off this machine are inferred and say LOCAL-INDEX', () => {
    for (const v of ['2.12.0', '2.13.0', '2.14.0', '2.14.1']) {
      expect(torch(v).confidence?.torchvision).toBe('inferred')
      expect(torch(v).notes).toMatch(/LOCAL-INDEX/)
    }
  })
})
