import { describe, it, expect } from 'vitest'
import { loadMatrix } from '../../../src/matrix/load.js'
import type { ConfidenceMap } from '../../../src/matrix/types.js'
import { parseRequirement } from '../../../src/resolvers/pep440.js'
import { ANY } from '../../../src/resolvers/version-range.js'
import { torchCandidates } from '../../../src/resolvers/frameworks/torch.js'
import { tensorflowCandidates } from '../../../src/resolvers/frameworks/tensorflow.js'
import { mxnetCandidates } from '../../../src/resolvers/frameworks/mxnet.js'
import { cudaBase, pythonBase } from '../../../src/resolvers/base-image.js'
import type { FrameworkName, FrameworkRequest } from '../../../src/resolvers/frameworks/types.js'

// The data's weak marks (inferred, unconfirmed) are exactly what a resolution warns about: every weak
// field a choice relies on is named in its caveats, and no field the data confirms is.
const m = loadMatrix()
const WEAK = new Set(['inferred', 'unconfirmed'])

// Fields the data records but no resolution relies on (pypiVariant, minGlibc, minDriverWindows, endOfLife) are
// left out of the lists below: a weak mark on them needs no warning.
function request(framework: FrameworkName, pin: string, companions: string[] = []): FrameworkRequest {
  return { framework, range: ANY, pin: parseRequirement(pin), companions: companions.map((c) => parseRequirement(c)!), source: pin }
}

function weak(confidence: ConfidenceMap | undefined, used: string[]): string[] {
  return Object.entries(confidence ?? {}).filter(([f, c]) => WEAK.has(c) && used.includes(f)).map(([f, c]) => `${f} ${c}`)
}

function strong(confidence: ConfidenceMap | undefined, used: string[]): string[] {
  return used.filter((f) => !WEAK.has(confidence?.[f] ?? 'confirmed'))
}

function expectCaveats(caveats: string[], confidence: ConfidenceMap | undefined, used: string[]): void {
  const text = caveats.join('\n')
  for (const w of weak(confidence, used)) expect(text, `missing "${w}"`).toContain(w)
  for (const f of strong(confidence, used)) expect(text, `"${f}" is not weak`).not.toMatch(new RegExp(`\\b${f} (inferred|unconfirmed)`))
}

const TORCH_USED = ['torchvision', 'torchaudio', 'python', 'variants', 'exists', 'localTag', 'source', 'archs', 'ptx', 'cudnn']

describe('torch: every release and variant', () => {
  const cases = m.torch.releases.flatMap((r) => r.variants.map((v) => [`${r.torch}+${v.name}`, r, v] as const))
  it.each(cases)('%s', (_label, r, v) => {
    const c = torchCandidates(request('pytorch', `torch==${r.torch}`, ['torchaudio']), m).find((x) => x.version === r.torch && x.variant === v.name)!
    const used = v.cuda ? TORCH_USED : TORCH_USED.filter((f) => !['archs', 'ptx', 'cudnn'].includes(f))
    expectCaveats(c.caveats, { ...r.confidence, ...v.confidence }, used)
  })
})

describe('tensorflow: every row, GPU and CPU', () => {
  it.each(m.tensorflow.releases.map((r) => [r.minor, r] as const))('%s', (_minor, r) => {
    const cands = tensorflowCandidates(request('tensorflow', `tensorflow==${r.tested}`), m)
    for (const c of cands) {
      const used = c.cuda ? ['python', 'cuda', 'cudnn', 'archs', 'ptx', 'gpuPackage'] : ['python', 'cpuPackage']
      expectCaveats(c.caveats, r.confidence, used)
    }
  })
})

describe('mxnet: every package record', () => {
  const cases = m.mxnet.packages.flatMap((p) => p.versions.map((v) => [`${p.package} ${v}`, p, v] as const))
  it.each(cases)('%s', (_label, p, v) => {
    const c = mxnetCandidates(request('mxnet', `${p.package}==${v}`), m).find((x) => x.requirements[0].name === p.package && x.version === v && x.python === (p.python ?? m.mxnet.python))!
    const confidence = { ...(p.python ? {} : { python: m.mxnet.confidence?.python }), ...p.confidence } as ConfidenceMap
    expectCaveats(c.caveats, confidence, ['python', 'versions', ...(p.cuda ? ['cuda', 'staticCudnn', 'cudnn', 'systemLibraries'] : [])])
  })
})

describe('base images', () => {
  it.each(m.baseImages.python.map((p) => [p.image, p] as const))('%s', (_image, p) => {
    const choice = pythonBase(m, [p.python])
    if ('reason' in choice) throw new Error(choice.reason)
    expectCaveats(choice.caveats, p.confidence, ['image', 'os'])
  })

  it('a CUDA image names its weak tag facts and the weak python3 of its OS', () => {
    const choice = cudaBase(m, '9.0', '7.2', ['3.5'])
    if ('reason' in choice) throw new Error(choice.reason)
    const tag = m.cudaImages.tags.find((t) => choice.base.image.endsWith(`:${t.tag}`))!
    expectCaveats(choice.caveats, tag.confidence, ['exists', 'status', 'cudnn', 'rebuildFrom'])
    expect(choice.caveats.join('\n')).toMatch(/ubuntu16\.04 python3 3\.5: python unconfirmed/)
  })

  it('a confirmed python image carries no caveat', () => {
    const choice = pythonBase(m, ['3.11'])
    expect('caveats' in choice && choice.caveats).toEqual([])
  })
})
