import { describe, it, expect } from 'vitest'
import { loadMatrix } from '../../../src/matrix/load.js'
import type { Matrix } from '../../../src/matrix/types.js'
import { resolveStack } from '../../../src/resolvers/resolve.js'
import { spec, cpuHost, gpuHost, h100, failure } from '../../support/spec.js'

// Each case resolves a stack that hits one correction of issue 9 §2 and asserts the new answer.
const matrix = loadMatrix()
const pip = (...pins: string[]) => ({ pip: pins, apt: [], npm: [], maven: [] })
const pipOf = (r: ReturnType<typeof resolveStack>): Record<string, string> => Object.fromEntries(r.pip.map((p) => [p.name, p.requirement]))

describe('TensorFlow >= 2.17 has no Maxwell kernels', () => {
  it.each([
    ['5.0', '~2.17'],
    ['5.2', '~2.17'],
    ['5.0', '>=2.17'],
    ['5.2', '~2.21'],
  ])('a sm_%s host asking for tensorflow %s is refused, told that 2.16 would run', (cc, range) => {
    const e = failure(() => resolveStack(spec({ frameworks: { tensorflow: range } }), matrix, gpuHost(cc, '580.65.06', `GTX sm_${cc.replace('.', '')}`)))
    expect(e.code).toBe('HOST_INCOMPATIBLE')
    expect(e.message).toMatch(/ships kernels for sm_60, sm_70, sm_80, sm_89 only/)
    expect(e.hint).toMatch(/tensorflow 2\.16\.1\+cu123 would run here: set frameworks\.tensorflow = "~2\.16"/)
  })

  it.each(['5.0', '5.2'])('sm_%s with tensorflow ~2.16 resolves on native sm_50 kernels', (cc) => {
    const r = resolveStack(spec({ frameworks: { tensorflow: '~2.16' } }), matrix, gpuHost(cc, '580.65.06'))
    expect(r.frameworks.tensorflow).toBe('2.16.1')
    expect(r.warnings.join('\n')).not.toMatch(/JIT/)
  })

  it('an unconstrained tensorflow on a Maxwell host falls back to 2.16, the newest that runs there', () => {
    const r = resolveStack(spec({ frameworks: { tensorflow: '*' } }), matrix, gpuHost('5.2', '580.65.06'))
    expect(r.frameworks.tensorflow).toBe('2.16.1')
  })
})

describe('TensorFlow PTX-only architectures: the resolution says the GPU runs after JIT', () => {
  it.each([
    ['~2.5', '8.0', 'sm_80'],
    ['~2.11', '8.6', 'sm_86'],
    ['~2.3', '7.0', 'sm_70'],
    ['~2.3', '7.5', 'sm_75'],
    ['~2.21', '9.0', 'sm_90'],
  ])('tensorflow %s on a cc %s GPU: JIT warning for %s', (range, cc, sm) => {
    const r = resolveStack(spec({ frameworks: { tensorflow: range } }), matrix, gpuHost(cc, '580.65.06'))
    expect(r.warnings.join('\n')).toMatch(new RegExp(`has no kernels for ${sm}; it will JIT-compile PTX at first use`))
  })

  it.each([
    ['~2.5', '7.5'],
    ['~2.21', '8.9'],
    ['~2.3', '6.1'],
  ])('tensorflow %s on a cc %s GPU runs native kernels, no JIT warning', (range, cc) => {
    const r = resolveStack(spec({ frameworks: { tensorflow: range } }), matrix, gpuHost(cc, '580.65.06'))
    expect(r.warnings.join('\n')).not.toMatch(/JIT-compile PTX/)
  })

  it('tensorflow 2.3 has no sm_50 kernels (only sm_52) and no PTX below 7.0: a sm_50 host is refused', () => {
    const e = failure(() => resolveStack(spec({ frameworks: { tensorflow: '~2.3' } }), matrix, gpuHost('5.0', '450.80.02')))
    expect(e.code).toBe('HOST_INCOMPATIBLE')
    expect(e.message).toMatch(/sm_35, sm_37, sm_52, sm_60, sm_61 only/)
  })
})

describe('torchaudio stops at 2.11.x', () => {
  it.each([
    ['torch==2.13.0', '2.13'],
    ['torch==2.12.1', '2.12'],
    ['torch==2.14.1', '2.14'],
  ])('%s with torchaudio pairs torchaudio 2.11.1 and says why', (pin, minor) => {
    const r = resolveStack(spec({ packages: pip(pin, 'torchaudio') }), matrix, cpuHost)
    expect(pipOf(r).torchaudio).toBe('torchaudio==2.11.1')
    expect(r.warnings.join('\n')).toContain(`torchaudio has no ${minor} release`)
    expect(r.warnings.join('\n')).toMatch(/supports torch 2\.11 and every later release/)
  })

  it('torch 2.11.0 pairs its own torchaudio 2.11.0, with no notice', () => {
    const r = resolveStack(spec({ packages: pip('torch==2.11.0', 'torchaudio') }), matrix, cpuHost)
    expect(pipOf(r).torchaudio).toBe('torchaudio==2.11.0')
    expect(r.warnings.join('\n')).not.toMatch(/torchaudio has no/)
  })

  it('without torchaudio asked for, torch 2.13 says nothing about it', () => {
    const r = resolveStack(spec({ packages: pip('torch==2.13.0') }), matrix, cpuHost)
    expect(pipOf(r).torchaudio).toBeUndefined()
    expect(r.warnings.join('\n')).not.toMatch(/torchaudio/)
  })

  it('a torchaudio==2.13.0 pin (a release that does not exist) is refused, naming the pairing', () => {
    const e = failure(() => resolveStack(spec({ packages: pip('torch==2.13.0', 'torchaudio==2.13.0') }), matrix, cpuHost))
    expect(e.code).toBe('UNRESOLVABLE')
    expect(e.message).toMatch(/torchaudio 2\.11\.1/)
  })
})

describe('MXNet >= 1.8 needs cuDNN and NCCL in the image', () => {
  it.each([
    ['mxnet-cu112==1.9.1', '11.2', /^nvidia\/cuda:11\.2\.2-cudnn8-runtime-ubuntu20\.04$/],
    ['mxnet-cu110==1.8.0.post0', '11.0', /^nvidia\/cuda:11\.0\.3-cudnn8-runtime-ubuntu20\.04$/],
    ['mxnet-cu113==1.9.1', '11.3', /^nvidia\/cuda:11\.3\.1-cudnn8-runtime-ubuntu20\.04$/],
    ['mxnet-cu117==1.9.1', '11.7', /^nvidia\/cuda:11\.7\.1-cudnn8-runtime-ubuntu20\.04$/],
  ])('%s resolves to CUDA %s on a cuDNN 8 runtime image (which carries NCCL)', (pin, cuda, image) => {
    const r = resolveStack(spec({ packages: pip(pin) }), matrix, gpuHost('8.0', '535.104.05', 'A100'))
    expect(r.cuda).toBe(cuda)
    expect(r.base.image).toMatch(image)
    expect(r.cudnn).toBe('8')
  })

  it('mxnet-cu90==1.4.1 links cuDNN statically: it needs no cuDNN from the image', () => {
    const r = resolveStack(spec({ packages: pip('mxnet-cu90==1.4.1') }), matrix, gpuHost('7.0', '410.48'))
    expect(r.cudnn).toBeNull()
    expect(r.base.image).toBe('nvidia/cuda:9.0-runtime-ubuntu16.04')
  })

  it('mxnet-cu101==1.4.1 exists and resolves', () => {
    const r = resolveStack(spec({ packages: pip('mxnet-cu101==1.4.1') }), matrix, gpuHost('7.0', '418.39'))
    expect(r.frameworks.mxnet).toBe('1.4.1')
    expect(r.cuda).toBe('10.1')
  })

  it('an image flavor without NCCL cannot host mxnet 1.9.1, and the message names the missing library', () => {
    const noNccl: Matrix = structuredClone(matrix)
    const runtime = noNccl.cudaImages.flavors.find((f) => f.flavor === 'runtime')!
    runtime.libraries = runtime.libraries.filter((l) => l !== 'nccl')
    const e = failure(() => resolveStack(spec({ packages: pip('mxnet-cu112==1.9.1') }), noNccl, gpuHost('8.0', '535.104.05')))
    expect(e.message).toMatch(/runtime images do not carry nccl/)
  })

  it('on a CPU host, mxnet-cu112==1.9.1 becomes the CPU build of 1.9.1', () => {
    const r = resolveStack(spec({ packages: pip('mxnet-cu112==1.9.1') }), matrix, cpuHost)
    expect(pipOf(r).mxnet).toBe('mxnet==1.9.1')
  })
})

describe('tensorflow[and-cuda]==2.15.0 cannot be installed', () => {
  it('a GPU resolution of the pin installs 2.15.0.post1 and says why', () => {
    const r = resolveStack(spec({ packages: pip('tensorflow[and-cuda]==2.15.0') }), matrix, h100)
    expect(pipOf(r).tensorflow).toBe('tensorflow[and-cuda]==2.15.0.post1')
    expect(r.frameworks.tensorflow).toBe('2.15.0.post1')
    expect(r.warnings.join('\n')).toMatch(/tensorflow\[and-cuda\]==2\.15\.0 cannot be installed.*PR #62520.*resolved to tensorflow\[and-cuda\]==2\.15\.0\.post1/)
  })

  it('the CPU build of 2.15.0 installs as asked', () => {
    const r = resolveStack(spec({ packages: pip('tensorflow==2.15.0') }), matrix, cpuHost)
    expect(pipOf(r)['tensorflow-cpu']).toBe('tensorflow-cpu==2.15.0')
    expect(r.warnings.join('\n')).not.toMatch(/cannot be installed/)
  })

  it('2.15.1 is installable and stays 2.15.1', () => {
    const r = resolveStack(spec({ packages: pip('tensorflow[and-cuda]==2.15.1') }), matrix, h100)
    expect(pipOf(r).tensorflow).toBe('tensorflow[and-cuda]==2.15.1')
  })
})

describe('torch 0.4.1 on Python 3.7', () => {
  it('a GPU host gets the cu90 wheel, the only 0.4.1 with a cp37 build', () => {
    const r = resolveStack(spec({ python: { version: '3.7' }, packages: pip('torch==0.4.1') }), matrix, gpuHost('7.0', '410.48'))
    expect(r.variants.pytorch).toBe('cu90')
    expect(r.python).toBe('3.7')
  })

  it('the CPU build of 0.4.1 has no cp37 wheel: refused, listing the pythons it has', () => {
    const e = failure(() => resolveStack(spec({ python: { version: '3.7' }, packages: pip('torch==0.4.1') }), matrix, cpuHost))
    expect(e.code).toBe('UNRESOLVABLE')
    expect(e.message).toMatch(/wheels for python 2\.7, 3\.5, 3\.6/)
  })

  it('torch==0.4.1.post2 is the cp37 CPU build', () => {
    const r = resolveStack(spec({ python: { version: '3.7' }, packages: pip('torch==0.4.1.post2') }), matrix, cpuHost)
    expect(pipOf(r).torch).toBe('torch==0.4.1.post2')
    expect(r.pipSources.findLinks).toEqual(['https://download.pytorch.org/whl/cpu/torch_stable.html'])
  })
})

describe('TensorFlow 1.x needs at least the cuDNN minor it was built with', () => {
  it('tensorflow-gpu 1.12 records cuDNN 7.2 and resolves on the cudnn7 image (7.6)', () => {
    const r = resolveStack(spec({ packages: pip('tensorflow-gpu==1.12.0') }), matrix, gpuHost('7.0', '410.48'))
    expect(r.cudnn).toBe('7.2')
    expect(r.base.image).toBe('nvidia/cuda:9.0-cudnn7-runtime-ubuntu16.04')
  })

  it('an image with an older cuDNN 7 minor does not satisfy it', () => {
    const old: Matrix = structuredClone(matrix)
    for (const t of old.cudaImages.tags) if (t.cuda === '9.0' && t.cudnn) t.cudnn = '7.1.4'
    const e = failure(() => resolveStack(spec({ packages: pip('tensorflow-gpu==1.12.0') }), old, gpuHost('7.0', '410.48')))
    expect(e.message).toMatch(/no nvidia\/cuda runtime image for CUDA 9\.0 with cuDNN 7\.2/)
  })
})

describe('torch cu130 builds of 2.11-2.14 carry no PTX', () => {
  it('a GPU above sm_120 (hypothetical sm_130) gets the cu132 build, whose 12.0 PTX JITs, not cu130', () => {
    const r = resolveStack(spec({ packages: pip('torch==2.13.0') }), matrix, gpuHost('13.0', '595.71.05'))
    expect(r.variants.pytorch).toBe('cu132')
    expect(r.warnings.join('\n')).toMatch(/JIT-compile PTX/)
  })
})
