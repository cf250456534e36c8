import { describe, it, expect } from 'vitest'
import { loadMatrix } from '../../../src/matrix/load.js'
import { compareVersions } from '../../../src/resolvers/pep440.js'

// The issue-9 corrections, each with the source the data must name for it.
const m = loadMatrix()
const torch = (v: string) => m.torch.releases.find((r) => r.torch === v)!
const variant = (v: string, name: string) => torch(v).variants.find((x) => x.name === name)!
const tf = (minor: string) => m.tensorflow.releases.find((r) => r.minor === minor)!
const mx = (pkg: string, version: string) => m.mxnet.packages.find((p) => p.package === pkg && p.versions.includes(version))
const toolkit = (v: string) => m.cuda.toolkits.find((t) => t.version === v)

describe('TensorFlow arch lists', () => {
  it.each(['2.17', '2.18', '2.19', '2.20', '2.21'])('TF %s: no Maxwell, sm_60/70/80/89 native and 9.0 as PTX', (minor) => {
    expect(tf(minor)).toMatchObject({ archs: ['6.0', '7.0', '8.0', '8.9'], ptx: ['9.0'] })
    expect(tf(minor).sources).toContain(minor === '2.17' ? 'TF-RN' : 'TF-BAZELRC')
  })

  it.each(['2.1', '2.2', '2.3'])('TF %s: sm_35,sm_37,sm_52,sm_60,sm_61 native, 7.0 as PTX', (minor) => {
    expect(tf(minor)).toMatchObject({ archs: ['3.5', '3.7', '5.2', '6.0', '6.1'], ptx: ['7.0'] })
    expect(tf(minor).sources).toContain('TF-ARCH-COPY')
  })

  it.each(['2.4', '2.5', '2.8', '2.11'])('TF %s carries 8.0 as PTX only', (minor) => {
    expect(tf(minor).archs).not.toContain('8.0')
    expect(tf(minor).ptx).toEqual(['8.0'])
  })

  it('2.17 names its release notes, where the Maxwell drop is announced', () => {
    expect(m.index.sources['TF-RN']).toMatch(/Maxwell/)
  })
})

describe('TensorFlow cuDNN minors and the 2.15.0 [and-cuda] pin', () => {
  it.each([
    ['1.3', '6.0'],
    ['1.8', '7.0'],
    ['1.10', '7.1'],
    ['1.11', '7.2'],
    ['1.12', '7.2'],
    ['1.13', '7.4'],
  ])('TF %s needs cuDNN >= %s', (minor, cudnn) => {
    expect(tf(minor).cudnn).toBe(cudnn)
  })

  it('2.15.0 [and-cuda] resolves to 2.15.0.post1, citing PR #62520', () => {
    expect(tf('2.15').unavailable).toEqual([expect.objectContaining({ version: '2.15.0', package: 'tensorflow[and-cuda]', use: '2.15.0.post1', sources: ['TF-62520'] })])
    expect(m.index.sources['TF-62520']).toMatch(/#62520/)
  })
})

describe('torch and its companions', () => {
  it.each(['2.12.0', '2.12.1', '2.13.0', '2.14.0', '2.14.1'])('torch %s pairs torchaudio 2.11.1 with a notice, citing the torchaudio docs', (v) => {
    expect(torch(v).torchaudio).toBe('2.11.1')
    expect(torch(v).companionNotices?.torchaudio).toMatch(/torchaudio has no 2\.1\d release/)
    expect(torch(v).sources).toContain('TA-DOCS')
  })

  it('no torch release pairs a torchaudio above 2.11.1 (2.12.0-2.14.1 do not exist)', () => {
    const audio = m.torch.releases.map((r) => r.torchaudio).filter((a): a is string => a !== null)
    expect(audio.filter((a) => compareVersions(a, '2.11.1') > 0)).toEqual([])
  })

  it('torch 2.12.1 pairs torchvision 0.27.1', () => {
    expect(torch('2.12.1')).toMatchObject({ torchvision: '0.27.1', torchaudio: '2.11.1' })
  })

  it.each(['2.11.0', '2.12.0'])('torch %s from PyPI is the cu130 build', (v) => {
    expect(torch(v).pypiVariant).toBe('cu130')
    expect(variant(v, 'cu130').archs).not.toContain('7.0')
  })

  it.each(['2.11.0', '2.12.0', '2.12.1', '2.13.0', '2.14.0', '2.14.1'])('torch %s+cu130 carries no PTX', (v) => {
    expect(variant(v, 'cu130').ptx).toEqual([])
  })

  it.each(['2.7.0', '2.7.1'])('torch %s wheels need glibc 2.28 (manylinux_2_28)', (v) => {
    expect(torch(v).minGlibc).toBe('2.28')
  })

  it('torch 0.4.1: cp37 only in cu90; 0.4.1.post2 is the cp37 cpu/cu80/cu92 build', () => {
    expect(variant('0.4.1', 'cu90').python).toBeUndefined()
    expect(torch('0.4.1').python).toContain('3.7')
    for (const name of ['cpu', 'cu80', 'cu92']) expect(variant('0.4.1', name).python).toEqual(['2.7', '3.5', '3.6'])
    expect(torch('0.4.1.post2').python).toEqual(['3.7'])
    expect(torch('0.4.1.post2').variants.map((v) => v.name)).toEqual(['cu80', 'cu92', 'cpu'])
  })
})

describe('MXNet', () => {
  it.each(['mxnet-cu110', 'mxnet-cu111', 'mxnet-cu112', 'mxnet-cu113', 'mxnet-cu114', 'mxnet-cu115', 'mxnet-cu116', 'mxnet-cu117'])('%s 1.9.1 exists and needs cuDNN 8 and NCCL in the image', (pkg) => {
    expect(mx(pkg, '1.9.1')).toMatchObject({ staticCudnn: false, cudnn: '8', systemLibraries: ['nccl'], sources: ['MX-NCCL'] })
  })

  it('mxnet-cu90 1.4.1 still links cuDNN statically; mxnet-cu101 1.4.1 exists', () => {
    expect(mx('mxnet-cu90', '1.4.1')?.staticCudnn).toBe(true)
    expect(mx('mxnet-cu101', '1.4.1')).toBeDefined()
  })

  it('the runtime image flavor carries NCCL (NVIDIA runtime Dockerfiles install libnccl2)', () => {
    expect(m.cudaImages.flavors.find((f) => f.flavor === 'runtime')?.libraries).toContain('nccl')
    expect(m.cudaImages.flavors.find((f) => f.flavor === 'base')?.libraries).not.toContain('nccl')
  })
})

describe('CUDA 13.3 - 13.5', () => {
  it.each([
    ['13.3.0', '610.43.02'],
    ['13.3.1', null],
    ['13.4.1', null],
    ['13.4.2', null],
    ['13.5.0', null],
  ])('CUDA %s is listed; its Linux driver minimum is %s', (v, driver) => {
    expect(toolkit(v)?.minDriverLinux).toBe(driver)
    expect(toolkit(v)?.sources).toContain('NV-RN-13')
  })
})
