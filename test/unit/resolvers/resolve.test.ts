import { describe, it, expect } from 'vitest'
import { loadMatrix } from '../../../src/matrix/load.js'
import { resolveStack } from '../../../src/resolvers/resolve.js'
import { applyMirrors } from '../../../src/resolvers/mirrors.js'
import { spec, cpuHost, gpuHost, h100, failure } from '../../support/spec.js'

const matrix = loadMatrix()
const oldDriverH100 = gpuHost('9.0', '470.82.01', 'NVIDIA H100')

const pytorch = spec({ name: 'pytorch', python: { version: '3.11' }, frameworks: { pytorch: '>=2.0' }, packages: { pip: ['numpy'], apt: [], npm: [], maven: [] } })
const legacy = spec({
  name: 'legacy-2018',
  packages: { pip: ['tensorflow-gpu==1.12.0', 'torch==0.4.1', 'mxnet-cu90==1.4.1', 'numpy==1.14.5'], apt: [], npm: [], maven: [] },
})

function pip(r: ReturnType<typeof resolveStack>): Record<string, string> {
  return Object.fromEntries(r.pip.map((p) => [p.name, p.version]))
}

describe('pytorch stack', () => {
  it('CPU-only host: newest torch, CPU build, official python image, companions pinned', () => {
    const r = resolveStack(pytorch, matrix, cpuHost)
    expect(r.gpu).toBe(false)
    expect(r.cuda).toBeNull()
    expect(r.python).toBe('3.11')
    expect(r.base.image).toBe('python:3.11-slim-bookworm')
    expect(r.frameworks.pytorch).toBe('2.14.1')
    expect(r.variants.pytorch).toBe('cpu')
    expect(pip(r)).toMatchObject({ torch: '2.14.1+cpu', torchvision: '0.29.1', numpy: '*' })
    expect(r.pipSources.extraIndexUrls).toContain('https://download.pytorch.org/whl/cpu')
    expect(r.warnings.join('\n')).toMatch(/no NVIDIA GPU/)
  })

  it('H100 with driver 580: the CUDA 13.0 build, which its driver runs natively', () => {
    const r = resolveStack(pytorch, matrix, h100)
    expect(r.gpu).toBe(true)
    expect(r.cuda).toBe('13.0')
    expect(r.variants.pytorch).toBe('cu130')
    expect(pip(r).torch).toBe('2.14.1+cu130')
  })

  it('H100 with an old driver (470): picks the newest torch whose build that driver can run', () => {
    const r = resolveStack(pytorch, matrix, oldDriverH100)
    expect(r.cuda).toBe('11.8')
    expect(r.variants.pytorch).toBe('cu118')
    expect(r.frameworks.pytorch).toBe('2.7.1')
    expect(r.warnings.join('\n')).toMatch(/minor-version compatibility/)
  })

  it('a pinned range the old driver cannot run is refused before any build, with what would work', () => {
    const s = spec({ ...pytorch, frameworks: { pytorch: '~2.9' } })
    const e = failure(() => resolveStack(s, matrix, oldDriverH100))
    expect(e.code).toBe('HOST_INCOMPATIBLE')
    expect(e.message).toMatch(/driver ≥ 525/)
    expect(e.hint).toMatch(/torch|pytorch 2\.7\.1\+cu118 would run here/)
    expect(e.hint).toMatch(/--cpu/)
  })

  it('torch==2.0.1+cu117 on an H100: cu117 has no sm_90 kernels; suggests cu118 of the same release', () => {
    const s = spec({ packages: { pip: ['torch==2.0.1+cu117'], apt: [], npm: [], maven: [] } })
    const e = failure(() => resolveStack(s, matrix, h100))
    expect(e.code).toBe('HOST_INCOMPATIBLE')
    expect(e.message).toMatch(/sm_90/)
    expect(e.hint).toMatch(/torch==2\.0\.1\+cu118/)
  })

  it('a local tag pin selects that variant', () => {
    const s = spec({ packages: { pip: ['torch==2.0.1+cu118'], apt: [], npm: [], maven: [] } })
    const r = resolveStack(s, matrix, h100)
    expect(r.cuda).toBe('11.8')
    expect(pip(r).torch).toBe('2.0.1+cu118')
  })

  it('gpu.mode = none gives the CPU build even on a GPU host', () => {
    const r = resolveStack(spec({ ...pytorch, gpu: { mode: 'none' } }), matrix, h100)
    expect(r.gpu).toBe(false)
    expect(r.variants.pytorch).toBe('cpu')
  })

  it('a torchvision pin that does not pair with the chosen torch is a clear error', () => {
    const s = spec({ ...pytorch, frameworks: { pytorch: '2.3.1' }, packages: { pip: ['torchvision==0.15.2'], apt: [], npm: [], maven: [] } })
    const e = failure(() => resolveStack(s, matrix, cpuHost))
    expect(e.code).toBe('UNRESOLVABLE')
    expect(e.message).toMatch(/torchvision 0\.18\.1/)
  })

  it('an unknown release range is reported with the span the data knows', () => {
    const e = failure(() => resolveStack(spec({ frameworks: { pytorch: '~9.9' } }), matrix, cpuHost))
    expect(e.code).toBe('UNRESOLVABLE')
    expect(e.message).toMatch(/0\.4\.1 … 2\.14\.1/)
  })
})

describe('2018 stack: tensorflow-gpu 1.12, torch 0.4.1, mxnet-cu90 1.4.1', () => {
  it('V100 host: one CUDA 9.0 for all three, python from Ubuntu 16.04, the deleted cudnn7 image flagged', () => {
    const r = resolveStack(legacy, matrix, gpuHost('7.0', '410.48'))
    expect(r.cuda).toBe('9.0')
    expect(r.cudnn).toMatch(/^7/)
    expect(r.python).toBe('3.5')
    expect(r.base.image).toBe('nvidia/cuda:9.0-cudnn7-runtime-ubuntu16.04')
    expect(r.base.deletedUpstream).toBe(true)
    expect(pip(r)).toMatchObject({ 'tensorflow-gpu': '1.12.0', torch: '0.4.1', 'mxnet-cu90': '1.4.1', numpy: '1.14.5' })
    expect(r.warnings.join('\n')).toMatch(/deleted from Docker Hub/)
  })

  it('H100 with a recent driver: resolves, but warns that sm_90 relies on PTX JIT', () => {
    const r = resolveStack(legacy, matrix, h100)
    expect(r.cuda).toBe('9.0')
    expect(r.warnings.join('\n')).toMatch(/sm_90/)
  })

  it('old driver (375, CUDA 8 era): refused, naming the driver CUDA 9.0 needs', () => {
    const e = failure(() => resolveStack(legacy, matrix, gpuHost('6.1', '375.26')))
    expect(e.code).toBe('HOST_INCOMPATIBLE')
    expect(e.message).toMatch(/384\.81/)
  })

  it('CPU-only host: the CPU builds of the same versions, and says so', () => {
    const r = resolveStack(legacy, matrix, cpuHost)
    expect(r.gpu).toBe(false)
    expect(pip(r)).toMatchObject({ tensorflow: '1.12.0', torch: '0.4.1', mxnet: '1.4.1' })
    expect(['2.7', '3.5', '3.6']).toContain(r.python)
    expect(r.base.image).toMatch(/^python:/)
    expect(r.warnings.join('\n')).toMatch(/tensorflow-gpu==1\.12\.0" → tensorflow==1\.12\.0/)
  })
})

describe('tensorflow', () => {
  const tf = spec({ name: 'tensorflow-gpu', python: { version: '3.11' }, frameworks: { tensorflow: '>=2.14' } })

  it('CPU host: tensorflow-cpu 2.21', () => {
    const r = resolveStack(tf, matrix, cpuHost)
    expect(pip(r)).toMatchObject({ 'tensorflow-cpu': '2.21.0' })
    expect(r.python).toBe('3.11')
  })

  it('H100: tensorflow[and-cuda] brings CUDA as pip packages, so the python image is enough', () => {
    const r = resolveStack(tf, matrix, h100)
    expect(r.pip.find((p) => p.name === 'tensorflow')?.requirement).toBe('tensorflow[and-cuda]==2.21.0')
    expect(r.cuda).toBe('12.5')
    expect(r.base.image).toBe('python:3.11-slim-bookworm')
  })

  it('TF 2.12 on GPU needs system CUDA 11.8 + cuDNN 8.6: an nvidia/cuda runtime image', () => {
    const r = resolveStack(spec({ frameworks: { tensorflow: '~2.12' } }), matrix, h100)
    expect(r.cuda).toBe('11.8')
    expect(r.base.image).toMatch(/^nvidia\/cuda:11\.8\.0-cudnn8-runtime-ubuntu2[02]\.04$/)
    expect(r.base.python).toBeNull()
  })

  it('TF 2.15 with torch 1.13 on an A100: no common CUDA, and the message lists each side', () => {
    const s = spec({ frameworks: { tensorflow: '2.15', pytorch: '1.13.1' } })
    const e = failure(() => resolveStack(s, matrix, gpuHost('8.0', '535.104.05', 'A100')))
    expect(e.code).toBe('UNRESOLVABLE')
    expect(e.message).toMatch(/tensorflow/)
    expect(e.message).toMatch(/pytorch/)
  })
})

describe('languages and explain', () => {
  it('node and java stacks pick official images', () => {
    const n = resolveStack(spec({ node: { version: '20' }, gpu: { mode: 'none' } }), matrix, cpuHost)
    expect(n.runtime).toBe('node')
    expect(n.base.image).toBe('node:20-bookworm-slim')
    expect(n.pip).toEqual([])
    const j = resolveStack(spec({ java: { version: '17', build: 'maven' }, gpu: { mode: 'none' } }), matrix, cpuHost)
    expect(j.java).toEqual({ version: '17', build: 'maven' })
    expect(j.base.image).toBe('maven:3.9-eclipse-temurin-17')
  })

  it('every python stack gets jupyterlab as tooling, and the mirror replaces PyPI', () => {
    const s = spec({ ...pytorch, mirrors: { pip: 'http://127.0.0.1:8081/simple', pytorch: 'http://127.0.0.1:8081/whl' } })
    const r = applyMirrors(resolveStack(s, matrix, cpuHost), s.mirrors, s.network)
    expect(r.pip.find((p) => p.name === 'jupyterlab')?.reason).toBe('tooling')
    expect(r.pipSources.indexUrl).toBe('http://127.0.0.1:8081/simple')
    expect(r.pipSources.extraIndexUrls).toEqual(['http://127.0.0.1:8081/whl/cpu'])
    expect(r.pipSources.trustedHosts).toEqual(['127.0.0.1'])
  })

  it('explains each decision', () => {
    const r = resolveStack(pytorch, matrix, h100)
    const keys = r.explain.map((e) => e.key)
    expect(keys.slice(0, 5)).toEqual(['pytorch', 'cuda', 'python', 'base', 'gpu'])
    // Every installed package says where it came from: the stack's list, a framework pairing or tooling.
    expect(keys.filter((k) => k.startsWith('pip '))).toEqual(r.pip.map((p) => `pip ${p.name}`))
    expect(r.explain.every((e) => e.because.length > 0)).toBe(true)
  })

  it('is deterministic', () => {
    expect(JSON.stringify(resolveStack(legacy, matrix, h100))).toBe(JSON.stringify(resolveStack(legacy, matrix, h100)))
  })
})
