import { describe, expect, it } from 'vitest'
import { checkGpusSeen, gpusText, parseGpus } from '../../../src/environment/container/gpus.js'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import type { HostFacts } from '../../../src/host/types.js'
import type { GpuRequest } from '../../../src/engine/engine.js'
import { parseMigDevices } from '../../../src/host/nvidia-smi.js'
import { decideGpu } from '../../../src/resolvers/runtime.js'
import { cpuHost, spec } from '../../support/spec.js'

const request = (value: string) => {
  const c = parseGpus(value)
  return c.kind === 'request' ? c.request : c.kind
}

function requested(value: string): GpuRequest {
  const c = parseGpus(value)
  if (c.kind !== 'request') throw new Error(`--gpus ${value} is not a request`)
  return c.request
}

function thrown(fn: () => unknown): EnvctlError {
  try {
    fn()
  } catch (err) {
    return err as EnvctlError
  }
  throw new Error('it was accepted')
}

const usageError = (value: string) => thrown(() => parseGpus(value))

describe('--gpus', () => {
  it.each([
    ['auto', 'auto'],
    ['none', 'none'],
    ['all', { count: 'all' }],
    ['2', { count: 2 }],
    ['count=2', { count: 2 }],
    ['count=all', { count: 'all' }],
    ['device=0', { count: 'all', deviceIds: ['0'] }],
    ['"device=1,3"', { count: 'all', deviceIds: ['1', '3'] }],
    ['1,3', { count: 'all', deviceIds: ['1', '3'] }],
    ['GPU-00000000-1111-2222-3333-444444444444', { count: 'all', deviceIds: ['GPU-00000000-1111-2222-3333-444444444444'] }],
    ['MIG-c6d4f1ef-42e4-5de3-91c7-45d71c87eb3f', { count: 'all', deviceIds: ['MIG-c6d4f1ef-42e4-5de3-91c7-45d71c87eb3f'] }],
    ['device=MIG-GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77/7/0', { count: 'all', deviceIds: ['MIG-GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77/7/0'] }],
  ])('%s → %j', (value, expected) => {
    expect(request(value)).toEqual(expected)
  })

  it('refuses 0, naming what was typed and both things it could have meant', () => {
    const err = usageError('0')
    expect(err.code).toBe('USAGE')
    expect(err.message).toBe('--gpus "0" asks for zero GPUs')
    expect(err.hint).toBe('write --gpus none for no GPU, or --gpus device=0 for the first GPU')
    expect(usageError('count=0').message).toBe('--gpus "count=0" asks for zero GPUs')
  })

  it.each([
    ['two', 'is not understood'],
    ['device=', 'names no device as nvidia-smi does: ""'],
    ['1,x', 'names no device as nvidia-smi does: "x"'],
    ['1,1', 'names a device twice'],
    ['count=many', 'is not understood: a count is a whole number or all'],
    ['capabilities=compute', 'uses a key envctl does not take (capabilities)'],
  ])('%s is a usage error that says why and lists the forms', (value, why) => {
    const err = usageError(value)
    expect(err.message).toBe(`--gpus ${JSON.stringify(value)} ${why}`)
    expect(err.hint).toContain('device=0')
  })

  it('writes requests back in the same words, so they can be passed again', () => {
    for (const value of ['all', 'count=2', 'device=1,3', 'device=MIG-abc']) expect(gpusText(requested(value))).toBe(value)
    expect(gpusText(null)).toBe('none')
  })
})

describe('a request against the GPUs nvidia-smi saw', () => {
  const gpu = (index: number) => ({ index, name: 'NVIDIA H100 80GB HBM3', uuid: `GPU-00000000-1111-2222-3333-44444444444${index}`, computeCapability: '9.0' })
  const four: HostFacts = { ...cpuHost, gpuSource: 'nvidia-smi', gpus: [0, 1, 2, 3].map(gpu), driver: '580.159.04', driverCuda: '13.0' }
  const one: HostFacts = { ...four, gpus: [gpu(0)] }
  const check = (value: string, host: HostFacts) => () => checkGpusSeen(requested(value), host)

  it('accepts what is there', () => {
    for (const value of ['all', 'count=4', 'device=1,3', 'GPU-00000000-1111-2222-3333-444444444442']) expect(check(value, four)).not.toThrow()
  })

  it('refuses a count larger than the GPUs seen, and ids not seen, listing what is there', () => {
    expect(check('2', one)).toThrow(/^--gpus asks for 2 GPUs, but nvidia-smi sees 1 on this machine \(0 \(GPU-00000000-1111-2222-3333-444444444440\): NVIDIA H100 80GB HBM3\)$/)
    expect(check('1,3', one)).toThrow(/^--gpus names 1, 3, which nvidia-smi does not list on this machine/)
    expect(check('GPU-ffffffff-1111-2222-3333-444444444444', four)).toThrow(/names GPU-ffffffff/)
    expect(thrown(check('2', one))).toMatchObject({ code: 'GPU_UNAVAILABLE', hint: expect.stringMatching(/nvidia-smi -L/) })
  })

  it('checks MIG devices only once nvidia-smi -L was read', () => {
    expect(check('MIG-aaaa', four)).not.toThrow()
    expect(check('MIG-aaaa', { ...four, migDevices: ['MIG-bbbb'] })).toThrow(/names MIG-aaaa, which nvidia-smi does not list .*MIG devices: MIG-bbbb/)
    expect(check('MIG-bbbb', { ...four, migDevices: ['MIG-bbbb'] })).not.toThrow()
  })

  it('leaves planned hosts (--gpu-arch) and hosts without nvidia-smi to the engine', () => {
    expect(check('8', { ...one, gpuSource: 'flags' })).not.toThrow()
    expect(check('8', cpuHost)).not.toThrow()
  })
})

describe('nvidia-smi -L', () => {
  it('lists MIG device UUIDs in the current and the pre-470 form, and nothing for plain GPUs', () => {
    const text = [
      'GPU 0: NVIDIA A100-SXM4-40GB (UUID: GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77)',
      '  MIG 3g.20gb     Device  0: (UUID: MIG-c6d4f1ef-42e4-5de3-91c7-45d71c87eb3f)',
      '  MIG 1g.5gb Device 1: (UUID: MIG-GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77/7/0)',
      'GPU 1: NVIDIA H100 80GB HBM3 (UUID: GPU-00000000-1111-2222-3333-444444444444)',
    ].join('\n')
    expect(parseMigDevices(text)).toEqual(['MIG-c6d4f1ef-42e4-5de3-91c7-45d71c87eb3f', 'MIG-GPU-5d5ba0d6-d33d-2b2c-524d-9e3d8d2b8a77/7/0'])
    expect(parseMigDevices(text.split('\n').at(-1)!)).toEqual([])
  })
})

describe('gpu.mode = "required" without a GPU', () => {
  it('names the flag that took the GPU away', () => {
    const required = spec({ gpu: { mode: 'required' } })
    expect(() => decideGpu(required, { ...cpuHost, forceCpu: true, cpuBecause: '--gpus none' })).toThrow('stack "test" requires a GPU (gpu.mode = "required"), but --gpus none was given')
    expect(() => decideGpu(required, { ...cpuHost, forceCpu: true })).toThrow(/but --cpu was given/)
  })
})
