import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseGpuQueryCsv, parseNvidiaSmiBanner } from '../../../src/host/nvidia-smi.js'

const fixture = (name: string) => readFileSync(new URL(`../../fixtures/gpu/${name}`, import.meta.url), 'utf8')
// h100-nvidia-smi.txt holds four captures separated by "---" lines (see test/fixtures/gpu/README.md).
const [banner, list, csvWithHeader, csvNoHeader] = fixture('h100-nvidia-smi.txt').split(/^---$/m)

describe('parseNvidiaSmiBanner', () => {
  it('reads driver and CUDA version from the plain nvidia-smi table', () => {
    expect(parseNvidiaSmiBanner(banner)).toEqual({ driver: '580.159.04', cuda: '13.0' })
  })

  it('reads the same from nvidia-smi -q', () => {
    expect(parseNvidiaSmiBanner(fixture('h100-nvidia-smi-q.txt'))).toEqual({ driver: '580.159.04', cuda: '13.0' })
  })

  it('gives nulls for output without a driver (nvidia-smi -L)', () => {
    expect(parseNvidiaSmiBanner(list)).toEqual({ driver: null, cuda: null })
  })
})

describe('parseGpuQueryCsv', () => {
  it('parses the headerless, unitless form with the columns named by the caller', () => {
    const fields = ['index', 'name', 'driver_version', 'compute_cap', 'memory.total']
    expect(parseGpuQueryCsv(csvNoHeader, fields)).toEqual({
      gpus: [{ index: 0, name: 'NVIDIA H100 80GB HBM3', computeCapability: '9.0', memoryMiB: 81559 }],
      driver: '580.159.04',
    })
  })

  it('takes the columns from a header line and drops units', () => {
    expect(parseGpuQueryCsv(csvWithHeader)).toEqual({
      gpus: [
        {
          index: 0,
          name: 'NVIDIA H100 80GB HBM3',
          uuid: 'GPU-00000000-1111-2222-3333-444444444444',
          computeCapability: '9.0',
          memoryMiB: 81559,
        },
      ],
      driver: '580.159.04',
    })
  })

  it('uses the probe query order by default, for several GPUs, and skips [N/A] values', () => {
    const text = [
      '0, NVIDIA A100-SXM4-40GB, GPU-aaaa, 550.54.14, 8.0, 40960',
      '1, NVIDIA A100-SXM4-40GB, GPU-bbbb, 550.54.14, 8.0, [N/A]',
      '',
    ].join('\n')
    const { gpus, driver } = parseGpuQueryCsv(text)
    expect(driver).toBe('550.54.14')
    expect(gpus.map((g) => [g.index, g.uuid, g.computeCapability, g.memoryMiB])).toEqual([
      [0, 'GPU-aaaa', '8.0', 40960],
      [1, 'GPU-bbbb', '8.0', undefined],
    ])
  })

  it('finds no GPUs in empty output', () => {
    expect(parseGpuQueryCsv('\n')).toEqual({ gpus: [], driver: null })
  })
})
