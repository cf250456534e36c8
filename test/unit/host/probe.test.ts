import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { probeGpus, readHostFacts } from '../../../src/host/probe.js'

// probe.ts is the edge, so these tests put a stand-in nvidia-smi on PATH that prints the real H100 captures.
const fixtures = new URL('../../fixtures/gpu/', import.meta.url).pathname
const originalPath = process.env.PATH
let dir: string | undefined

function fakeNvidiaSmi(script: string): void {
  dir = mkdtempSync(join(tmpdir(), 'envctl-nvsmi-'))
  writeFileSync(join(dir, 'nvidia-smi'), `#!/bin/sh\n${script}\n`)
  chmodSync(join(dir, 'nvidia-smi'), 0o755)
  process.env.PATH = `${dir}:${originalPath}`
}

afterEach(() => {
  process.env.PATH = originalPath
  if (dir) rmSync(dir, { recursive: true, force: true })
  dir = undefined
})

describe('probeGpus', () => {
  it('finds no GPUs when nvidia-smi is not installed', async () => {
    process.env.PATH = '/nonexistent'
    expect(await probeGpus()).toEqual({ gpus: [], driver: null, driverCuda: null })
  })

  it('finds no GPUs when the only nvidia-smi on PATH cannot be run', async () => {
    fakeNvidiaSmi('echo 0, X, GPU-1, 1.0, 9.0, 1')
    chmodSync(join(dir!, 'nvidia-smi'), 0o644)
    process.env.PATH = dir!
    expect(await probeGpus()).toEqual({ gpus: [], driver: null, driverCuda: null })
  })

  it('reads GPUs, driver and CUDA version from nvidia-smi', async () => {
    const banner = `sed -n '1,/^---$/p' ${fixtures}h100-nvidia-smi.txt | sed '$d'`
    const csv = `echo '0, NVIDIA H100 80GB HBM3, GPU-00000000-1111-2222-3333-444444444444, 580.159.04, 9.0, 81559'`
    fakeNvidiaSmi(`if [ $# -eq 0 ]; then ${banner}; else ${csv}; fi`)
    const host = await readHostFacts()
    expect(host).toMatchObject({
      gpuSource: 'nvidia-smi',
      driver: '580.159.04',
      driverCuda: '13.0',
      forceCpu: false,
      gpus: [{ index: 0, name: 'NVIDIA H100 80GB HBM3', computeCapability: '9.0', memoryMiB: 81559 }],
    })
    expect(host.uid).toBe(process.getuid?.())
  })

  it('reports a failing nvidia-smi as a problem, with no GPUs', async () => {
    fakeNvidiaSmi(`echo "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."; exit 9`)
    expect(await probeGpus()).toEqual({
      gpus: [],
      driver: null,
      driverCuda: null,
      problem: "nvidia-smi failed: NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver.",
    })
  })

  it('does not probe when the flags settle the host', async () => {
    fakeNvidiaSmi('touch "$(dirname "$0")/called"')
    expect(await readHostFacts({ gpuArch: 'sm_86' })).toMatchObject({ gpuSource: 'flags', gpus: [{ computeCapability: '8.6' }] })
    expect(await readHostFacts({ cpu: true })).toMatchObject({ gpuSource: 'none', forceCpu: true })
    expect(existsSync(join(dir ?? '', 'called'))).toBe(false)
  })
})
