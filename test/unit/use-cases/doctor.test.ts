import { describe, expect, it } from 'vitest'
import type { Engine, EngineInfo, EngineVersion } from '../../../src/engine/engine.js'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import type { GpuProbe } from '../../../src/host/probe.js'
import type { LimitProbe } from '../../../src/doctor/limits-probe.js'
import type { PlannedBuild } from '../../../src/doctor/types.js'
import { DEFAULT_CHECKS } from '../../../src/doctor/checks.js'
import { failureCode, runChecks, type DoctorCheck, type DoctorContext } from '../../../src/doctor/doctor.js'
import { renderDoctorReport } from '../../../src/doctor/view.js'

// Checks only read the context, so a plain value stands in for the engine and the host here;
// the live context is exercised against a real engine by `envctl doctor` in test/command.
const version: EngineVersion = { version: '20.10.24+dfsg1', apiVersion: '1.41', os: 'linux', arch: 'amd64' }
const info: EngineInfo = {
  serverVersion: '20.10.24+dfsg1',
  runtimes: ['io.containerd.runc.v2', 'runc'],
  defaultRuntime: 'runc',
  dockerRootDir: '/var/lib/docker',
  operatingSystem: 'Debian GNU/Linux 12 (bookworm)',
  storageDriver: 'overlay2',
  cpus: 2,
  memoryBytes: 8 << 30,
  registryMirrors: [],
}
const h100: GpuProbe = {
  gpus: [{ index: 0, name: 'NVIDIA H100 80GB HBM3', uuid: 'GPU-0', computeCapability: '9.0', memoryMiB: 81559 }],
  driver: '580.159.04',
  driverCuda: '13.0',
}
const noGpu: GpuProbe = { gpus: [], driver: null, driverCuda: null }

interface Setup {
  version?: Partial<EngineVersion>
  info?: Partial<EngineInfo>
  unreachable?: boolean
  gpus?: GpuProbe
  free?: number
  local?: boolean
  limits?: LimitProbe
  planned?: PlannedBuild | { error: EnvctlError }
}

function context(s: Setup = {}): DoctorContext {
  const engine = { host: 'unix:///var/run/docker.sock', local: s.local ?? true } as Engine
  const error = new EnvctlError('ENGINE_UNREACHABLE', 'cannot reach the Docker engine at unix:///var/run/docker.sock: connection refused', { hint: 'start dockerd' })
  return {
    engine,
    engineFacts: async () => (s.unreachable ? { error } : { version: { ...version, ...s.version }, info: { ...info, ...s.info } }),
    gpus: async () => s.gpus ?? noGpu,
    freeBytes: async () => s.free ?? 50 * 1024 ** 3,
    refusedLimits: async () => s.limits ?? { refused: [] },
    plannedBuild: async () => s.planned ?? null,
  }
}

const byName = async (s: Setup) => Object.fromEntries((await runChecks(context(s), DEFAULT_CHECKS)).checks.map((c) => [c.name, c]))

describe('doctor checks', () => {
  it('passes on a reachable CPU-only machine', async () => {
    const report = await runChecks(context(), DEFAULT_CHECKS)
    expect(report.ok).toBe(true)
    expect(failureCode(report)).toBeUndefined()
    expect(report.checks.map((c) => [c.name, c.status])).toEqual([
      ['engine', 'ok'],
      ['buildkit', 'ok'],
      ['nvidia-runtime', 'ok'],
      ['gpu', 'ok'],
      ['ulimits', 'ok'],
      ['gpu-build', 'ok'],
      ['disk', 'ok'],
    ])
    expect(report.checks[0].detail).toBe('Docker 20.10.24+dfsg1 (API 1.41, linux/amd64) at unix:///var/run/docker.sock')
    expect(report.checks[4].detail).toBe("the engine allows the GPU stacks' limits (memlock=unlimited, stack=64 MiB)")
    expect(report.checks[6].detail).toBe('50.0 GiB free at /var/lib/docker')
  })

  it('fails with ENGINE_UNREACHABLE and does not check what needs the engine', async () => {
    const report = await runChecks(context({ unreachable: true }), DEFAULT_CHECKS)
    expect(report.ok).toBe(false)
    expect(failureCode(report)).toBe('ENGINE_UNREACHABLE')
    expect(report.checks[0]).toEqual({
      name: 'engine',
      status: 'fail',
      detail: 'cannot reach the Docker engine at unix:///var/run/docker.sock: connection refused',
      fix: 'start dockerd',
      code: 'ENGINE_UNREACHABLE',
    })
    expect(report.checks.filter((c) => c.detail === 'not checked: the engine is unreachable').map((c) => c.name)).toEqual(['buildkit', 'nvidia-runtime', 'ulimits', 'disk'])
  })

  it('fails BuildKit on an engine older than API 1.39', async () => {
    expect((await byName({ version: { version: '18.06.3', apiVersion: '1.38' } })).buildkit).toMatchObject({ status: 'fail', code: 'BUILD_FAILED' })
  })

  it('describes the GPUs and warns when the engine has no nvidia runtime for them', async () => {
    const checks = await byName({ gpus: h100 })
    expect(checks.gpu).toEqual({ name: 'gpu', status: 'ok', detail: 'GPU 0: NVIDIA H100 80GB HBM3 (sm_90, 80 GiB); driver 580.159.04, CUDA ≤ 13.0' })
    expect(checks['nvidia-runtime']).toMatchObject({ status: 'warn', code: 'GPU_UNAVAILABLE', fix: expect.stringContaining('nvidia-ctk runtime configure') })
    expect((await byName({ gpus: h100, info: { runtimes: ['nvidia', 'runc'] } }))['nvidia-runtime']).toEqual({ name: 'nvidia-runtime', status: 'ok', detail: 'the engine has the nvidia runtime; GPU containers get the GPU nvidia-smi lists' })
  })

  it('warns when the engine refuses the GPU stacks\' limits, and says when it could not try them', async () => {
    expect((await byName({ limits: { refused: ['memlock'] } })).ulimits).toMatchObject({ status: 'warn', detail: expect.stringMatching(/^the engine refuses memlock=unlimited: GPU environments start with the engine's own limit/), fix: expect.stringContaining('rootless') })
    expect((await byName({ limits: { unchecked: 'the engine has no image yet' } })).ulimits).toEqual({ name: 'ulimits', status: 'ok', detail: 'not checked: the engine has no image yet' })
  })

  it("checks the CUDA of the project's planned build against the driver", async () => {
    const planned = { stack: 'proj', gpu: true, cuda: '13.0', frameworks: { pytorch: '2.9.1' }, driverCuda: '13.0' }
    expect((await byName({ planned, info: { runtimes: ['nvidia', 'runc'] } }))['gpu-build']).toEqual({ name: 'gpu-build', status: 'ok', detail: 'proj plans CUDA 13.0 (pytorch 2.9.1); the driver runs CUDA ≤ 13.0' })
    expect((await byName({ planned }))['gpu-build'].detail).toBe('proj plans CUDA 13.0 (pytorch 2.9.1); the driver runs CUDA ≤ 13.0; but this engine has no nvidia runtime, so envctl up uses the CPU build')
    expect((await byName({ planned: { ...planned, driverCuda: '12.4' } }))['gpu-build']).toMatchObject({ status: 'fail', code: 'HOST_INCOMPATIBLE', detail: 'proj plans CUDA 13.0 (pytorch 2.9.1), but the driver runs CUDA ≤ 12.4' })
    expect((await byName({ planned: { ...planned, gpu: false, cuda: null } }))['gpu-build'].detail).toBe('proj plans its CPU build here')
    const error = new EnvctlError('HOST_INCOMPATIBLE', 'pytorch cannot run on this host', { hint: 'upgrade the driver' })
    expect((await byName({ planned: { error } }))['gpu-build']).toEqual({ name: 'gpu-build', status: 'fail', detail: 'pytorch cannot run on this host', fix: 'upgrade the driver', code: 'HOST_INCOMPATIBLE' })
    expect((await byName({}))['gpu-build'].detail).toMatch(/^not checked: no envctl.toml here/)
  })

  it('warns when nvidia-smi is there but fails', async () => {
    const checks = await byName({ gpus: { ...noGpu, problem: 'nvidia-smi failed: NVIDIA-SMI has failed' } })
    expect(checks.gpu).toMatchObject({ status: 'warn', detail: 'nvidia-smi failed: NVIDIA-SMI has failed' })
  })

  it('warns on little free space, and skips the disk of a remote engine', async () => {
    expect((await byName({ free: 3 * 1024 ** 3 })).disk).toMatchObject({ status: 'warn', detail: expect.stringMatching(/^only 3\.0 GiB free/) })
    expect((await byName({ local: false })).disk).toMatchObject({ status: 'ok', detail: expect.stringMatching(/^not checked/) })
  })

  it('takes more checks, and reports one that throws as a failure with its code', async () => {
    const mirror: DoctorCheck = async () => {
      throw new EnvctlError('NETWORK_CHECK_FAILED', 'registry mirror http://127.0.0.1:5000 does not answer', { hint: 'start it' })
    }
    const report = await runChecks(context(), [...DEFAULT_CHECKS, mirror])
    expect(report.checks.at(-1)).toEqual({ name: 'mirror', status: 'fail', detail: 'registry mirror http://127.0.0.1:5000 does not answer', fix: 'start it', code: 'NETWORK_CHECK_FAILED' })
    expect(failureCode(report)).toBe('NETWORK_CHECK_FAILED')
  })
})

describe('renderDoctorReport', () => {
  it('aligns the checks and puts the fix under what is not ok', async () => {
    const text = renderDoctorReport(await runChecks(context({ unreachable: true }), DEFAULT_CHECKS.slice(0, 2)))
    expect(text).toBe(
      [
        'FAIL  engine    cannot reach the Docker engine at unix:///var/run/docker.sock: connection refused',
        '                fix: start dockerd',
        'warn  buildkit  not checked: the engine is unreachable',
        '',
        'not ready: fix the FAIL lines above',
      ].join('\n'),
    )
  })
})
