import { describe, expect, it } from 'vitest'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import { hostFromFlags, parseGpuArch, type HostFlags } from '../../../src/host/from-flags.js'

const system = { uid: 1000, gid: 1000, platform: 'linux', arch: 'x64' }

function usageProblems(flags: HostFlags): string[] {
  try {
    hostFromFlags(flags, system)
  } catch (err) {
    if (err instanceof EnvctlError && err.code === 'USAGE') return err.problems.map((p) => p.message)
    throw err
  }
  throw new Error('expected a USAGE error')
}

describe('parseGpuArch', () => {
  it.each([
    ['sm_90', '9.0'],
    ['sm90', '9.0'],
    ['SM_86', '8.6'],
    ['9.0', '9.0'],
    ['90', '9.0'],
    ['sm_90a', '9.0'],
    ['sm_100', '10.0'],
    ['sm_120', '12.0'],
    ['12.0', '12.0'],
    ['7.5', '7.5'],
  ])('%s → %s', (input, expected) => {
    expect(parseGpuArch(input)).toBe(expected)
  })

  it.each(['sm_9', 'sm_', 'hopper', '9', '9.', '9.00', 'sm_2000', 'sm_20', ''])('rejects %j', (input) => {
    const problems: { message: string }[] = []
    expect(parseGpuArch(input, problems)).toBe('')
    expect(problems[0].message).toContain(`--gpu-arch "${input}"`)
  })
})

describe('hostFromFlags', () => {
  it('plans a GPU host from --gpu-arch and --driver', () => {
    expect(hostFromFlags({ gpuArch: 'sm_90', driver: '550.54.14' }, system)).toEqual({
      ...system,
      gpuSource: 'flags',
      gpus: [{ index: 0, name: 'planned GPU sm_90', computeCapability: '9.0' }],
      driver: '550.54.14',
      driverCuda: null,
      forceCpu: false,
    })
  })

  it('accepts several architectures, and no driver', () => {
    const host = hostFromFlags({ gpuArch: 'sm_80, 8.6' }, system)
    expect(host?.gpus.map((g) => g.computeCapability)).toEqual(['8.0', '8.6'])
    expect(host?.driver).toBeNull()
  })

  it('--cpu gives a CPU-only host', () => {
    expect(hostFromFlags({ cpu: true }, system)).toMatchObject({ gpuSource: 'none', gpus: [], driver: null, forceCpu: true })
  })

  it('returns undefined when the GPU has to be probed', () => {
    expect(hostFromFlags({}, system)).toBeUndefined()
  })

  it('collects every malformed value into one USAGE error', () => {
    expect(usageProblems({ gpuArch: 'hopper', driver: '550' })).toEqual([
      '--gpu-arch "hopper" is not a GPU architecture',
      '--driver "550" is not an NVIDIA driver version',
    ])
  })

  it.each([
    [{ cpu: true, gpuArch: 'sm_90' }, '--cpu cannot be combined with --gpu-arch or --driver'],
    [{ driver: '550.54.14' }, '--driver needs --gpu-arch: the GPU architecture decides which builds can run'],
    [{ gpuArch: 'sm_90', driver: 'latest' }, '--driver "latest" is not an NVIDIA driver version'],
  ])('rejects %j', (flags, message) => {
    expect(usageProblems(flags)).toEqual([message])
  })
})
