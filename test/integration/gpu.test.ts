/**
 * The GPU path end to end, on the real engine with a simulated NVIDIA host (support/gpu-engine.ts): envctl's
 * host probe reads a stand-in nvidia-smi answering from a real H100 capture, and a second dockerd has the
 * nvidia runtime and runs a stand-in NVIDIA prestart hook. Everything up to the driver is real: the device
 * request, dockerd's nvidia driver, the hook run by runc, the environment PID 1 gets, and this machine's
 * engine refusing memlock=unlimited as rootless Docker does.
 *
 * The image is a small GPU-mode stack (node 20, gpu.mode = "auto": no CUDA wheels, no network in RUN steps);
 * the pytorch built-in's cu130 plan is checked with `resolve` and `doctor`, without building its wheels.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Docker from 'dockerode'
import { describeEngine } from './support/engine.js'
import { runCli, type RunResult } from './support/cli.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'
import { testRunId } from './support/cleanup.js'
import { startGpuEngine, type GpuEngine, type SimulatedHost } from './support/gpu-engine.js'

const ciEngine = new Docker()
const id = testRunId().replace(/[^a-z0-9]/g, '')
const MIG = 'MIG-c6d4f1ef-42e4-5de3-91c7-45d71c87eb3f'
const HOOK_ERROR = 'nvidia-container-cli: initialization error: nvml error: driver not loaded'

const stack = (name: string, mode = 'auto') => `name = "${name}"\nextends = "node"\n[node]\nversion = "20"\n[gpu]\nmode = "${mode}"\n`

interface UpJson {
  container: string
  containerId: string
  action: string
  gpus: string
  warnings: string[]
}

async function containersOf(docker: Docker, env: string) {
  return docker.listContainers({ all: true, filters: JSON.stringify({ label: [`dev.envctl.project=${env}`] }) })
}

/**
 * What PID 1 was started with, read as a user would: `docker exec` sessions do not inherit what the NVIDIA
 * driver adds, and only the environment's own uid may read its /proc/1/environ (root in the container lacks
 * CAP_SYS_PTRACE).
 */
async function pid1Env(w: Workspace, env: Record<string, string>): Promise<Record<string, string>> {
  const r = await runCli(['exec', '--', 'cat', '/proc/1/environ'], { cwd: w.dir, user: w.user, env })
  expect(r.code, r.stderr).toBe(0)
  return Object.fromEntries(r.stdout.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]))
}

const nvidiaEnv = (env: Record<string, string>) => Object.fromEntries(Object.entries(env).filter(([k]) => k.startsWith('NVIDIA_')))

function ok(r: RunResult): UpJson {
  expect(r.code, r.stderr).toBe(0)
  return r.json as UpJson
}

const isRoot = process.getuid?.() === 0

describeEngine('the GPU path on a simulated NVIDIA host', () => {
  if (!isRoot) {
    it.skip('needs root to start a second engine (CI runs as root)', () => {})
    return
  }
  let gpu: GpuEngine
  let ws: Workspace
  const env = `gpu-${id}`
  const cli = (args: string[], host?: SimulatedHost, w = ws) => runCli(args, { cwd: w.dir, user: w.user, env: gpu.env(host) })

  beforeAll(async () => {
    gpu = await startGpuEngine()
    ws = await makeWorkspace({ 'envctl.toml': stack(env) })
  })

  afterAll(async () => {
    await gpu?.stop()
    await ws?.remove()
  })

  it('auto: asks the engine for every GPU; PID 1 sees them and the CUDA capabilities; the hook ran once; GPU shm; memlock as the engine allows', async () => {
    const up = ok(await cli(['up', '--json']))
    expect(up).toMatchObject({ action: 'created', gpus: 'all' })
    expect(up.warnings.join('\n')).toMatch(/refuses memlock=unlimited .*the environment runs with the engine's own limit/)

    const info = await gpu.docker.getContainer(up.containerId).inspect()
    expect(info.HostConfig.DeviceRequests).toEqual([{ Driver: '', Count: -1, DeviceIDs: null, Capabilities: [['gpu']], Options: null }])
    expect(info.HostConfig.ShmSize).toBe(8 * 1024 ** 3)
    expect(info.HostConfig.Ulimits).toEqual([{ Name: 'stack', Soft: 67108864, Hard: 67108864 }])
    expect(info.Config.Labels).toMatchObject({ 'dev.envctl.gpu': 'true', 'dev.envctl.gpus': 'all', 'dev.envctl.limits-lowered': 'memlock' })
    expect(nvidiaEnv(await pid1Env(ws, gpu.env()))).toEqual({ NVIDIA_VISIBLE_DEVICES: 'all', NVIDIA_DRIVER_CAPABILITIES: 'compute,utility' })
    expect((await gpu.hookCalls()).filter((c) => c.id === up.containerId)).toEqual([{ args: 'prestart', id: up.containerId }])

    // The next run keeps it (no failing over again), and says again that memlock is the engine's.
    const again = ok(await cli(['up', '--json']))
    expect(again).toMatchObject({ action: 'running', containerId: up.containerId, gpus: 'all' })
    expect(again.warnings.join('\n')).toMatch(/refuses memlock=unlimited/)
    const ls = await cli(['ls', '--json'])
    expect(ls.json).toEqual([expect.objectContaining({ container: up.container, gpu: true, gpus: 'all' })])
    const table = await cli(['ls'])
    expect(table.stdout).toMatch(/GPUS[\s\S]*\ball\b/)
  })

  it.each([
    ['1,3', 'device=1,3', { DeviceIDs: ['1', '3'] }, '1,3'],
    ['device=2', 'device=2', { DeviceIDs: ['2'] }, '2'],
    ['2', 'count=2', { Count: 2 }, '0,1'],
    ['all', 'all', { Count: -1 }, 'all'],
    [MIG, `device=${MIG}`, { DeviceIDs: [MIG] }, MIG],
  ])('--gpus %s on four GPUs: device request %s, PID 1 sees %j', async (value, text, request, visible) => {
    const up = ok(await cli(['up', '--gpus', value, '--json'], { gpus: 4, mig: [MIG] }))
    expect(up.gpus).toBe(text)
    const info = await gpu.docker.getContainer(up.containerId).inspect()
    expect(info.HostConfig.DeviceRequests).toEqual([expect.objectContaining(request)])
    expect(info.Config.Labels['dev.envctl.gpus']).toBe(text)
    expect((await pid1Env(ws, gpu.env())).NVIDIA_VISIBLE_DEVICES).toBe(visible)
  })

  it('--gpus none: no device request, the CPU build, no hook', async () => {
    const calls = (await gpu.hookCalls()).length
    const up = ok(await cli(['up', '--gpus', 'none', '--json']))
    expect(up.gpus).toBe('none')
    const info = await gpu.docker.getContainer(up.containerId).inspect()
    expect(info.HostConfig.DeviceRequests ?? []).toEqual([])
    expect(info.HostConfig.Ulimits ?? []).toEqual([])
    expect(nvidiaEnv(await pid1Env(ws, gpu.env()))).toEqual({})
    expect(await gpu.hookCalls()).toHaveLength(calls)
  })

  it.each([
    ['8', { gpus: 4 }, 13, /--gpus asks for 8 GPUs, but nvidia-smi sees 4 on this machine/],
    ['1,3', { gpus: 1 }, 13, /--gpus names 1, 3, which nvidia-smi does not list on this machine/],
    ['MIG-00000000-0000-0000-0000-000000000000', { gpus: 1, mig: [MIG] }, 13, new RegExp(`which nvidia-smi does not list .*MIG devices: ${MIG}`)],
    ['0', {}, 3, /--gpus "0" asks for zero GPUs\n.*fix: write --gpus none for no GPU, or --gpus device=0 for the first GPU/],
  ])('--gpus %s that cannot work is a clear error, before anything changes', async (value, host, code, message) => {
    const before = (await containersOf(gpu.docker, env)).map((c) => c.Id)
    const r = await cli(['up', '--gpus', value], host)
    expect(r.code, r.stderr).toBe(code)
    expect(r.stderr).toMatch(message)
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    expect((await containersOf(gpu.docker, env)).map((c) => c.Id)).toEqual(before)
  })

  describe('gpu.mode = "required"', () => {
    let req: Workspace
    const reqEnv = `gpu-req-${id}`
    beforeAll(async () => {
      req = await makeWorkspace({ 'envctl.toml': stack(reqEnv, 'required') })
    })
    afterAll(async () => {
      for (const c of await containersOf(ciEngine, reqEnv)) await ciEngine.getContainer(c.Id).remove({ force: true })
      await req?.remove()
    })

    it('gets every GPU on the GPU engine', async () => {
      const up = ok(await cli(['up', '--json'], {}, req))
      expect(up.gpus).toBe('all')
      expect((await pid1Env(req, gpu.env())).NVIDIA_VISIBLE_DEVICES).toBe('all')
    })

    it('names --gpus none, not --cpu, when that takes the GPU away', async () => {
      const r = await cli(['up', '--gpus', 'none'], {}, req)
      expect(r.code).toBe(3)
      expect(r.stderr).toContain(`stack "${reqEnv}" requires a GPU (gpu.mode = "required"), but --gpus none was given`)
    })

    it('fails before building on the CI engine, which has no NVIDIA runtime', async () => {
      const r = await runCli(['up'], { cwd: req.dir, user: req.user, env: { ...gpu.env(), DOCKER_HOST: undefined } })
      expect(r.code).toBe(13)
      expect(r.stderr).toMatch(/requires a GPU \(gpu.mode = "required"\), but the engine at unix:\/\/\/var\/run\/docker.sock has no NVIDIA runtime/)
      expect(await containersOf(ciEngine, reqEnv)).toEqual([])
    })
  })

  it('auto falls back to the CPU build with a notice on the CI engine, which has no NVIDIA runtime', async () => {
    const cpu = await makeWorkspace({ 'envctl.toml': stack(`gpu-ci-${id}`) })
    try {
      const r = await runCli(['up', '--json'], { cwd: cpu.dir, user: cpu.user, env: { ...gpu.env(), DOCKER_HOST: undefined } })
      const up = ok(r)
      expect(up.gpus).toBe('none')
      expect(up.warnings.join('\n')).toMatch(/the engine at unix:\/\/\/var\/run\/docker.sock has no NVIDIA runtime: using the CPU build/)
      expect((await ciEngine.getContainer(up.containerId).inspect()).HostConfig.DeviceRequests ?? []).toEqual([])
    } finally {
      for (const c of await containersOf(ciEngine, `gpu-ci-${id}`)) await ciEngine.getContainer(c.Id).remove({ force: true })
      for (const i of await ciEngine.listImages({ filters: JSON.stringify({ label: [`dev.envctl.stack=gpu-ci-${id}`] }) })) await ciEngine.getImage(i.Id).remove({ force: true })
      await cpu.remove()
    }
  })

  it('doctor tells both engines apart: runtime, GPUs, refused memlock, and the planned CUDA against the driver', async () => {
    const pt = await makeWorkspace({ 'envctl.toml': `name = "gpu-pt-${id}"\nextends = "pytorch"\n` })
    try {
      const resolved = await runCli(['resolve', '--json'], { cwd: pt.dir, user: pt.user, env: gpu.env() })
      expect(resolved.json).toMatchObject({ gpu: true, cuda: '13.0', variants: { pytorch: 'cu130' } })

      const checks = async (dockerHost: string | undefined) => {
        const r = await runCli(['doctor', '--json'], { cwd: pt.dir, user: pt.user, env: { ...gpu.env(), DOCKER_HOST: dockerHost } })
        return Object.fromEntries((r.json as { checks: Array<{ name: string; status: string; detail: string }> }).checks.map((c) => [c.name, c]))
      }
      const sim = await checks(gpu.dockerHost)
      expect(sim['nvidia-runtime']).toMatchObject({ status: 'ok', detail: 'the engine has the nvidia runtime; GPU containers get the GPU nvidia-smi lists' })
      expect(sim.gpu).toMatchObject({ status: 'ok', detail: 'GPU 0: NVIDIA H100 80GB HBM3 (sm_90, 80 GiB); driver 580.159.04, CUDA ≤ 13.0' })
      expect(sim.ulimits).toMatchObject({ status: 'warn', detail: expect.stringMatching(/^the engine refuses memlock=unlimited/) })
      expect(sim['gpu-build']).toMatchObject({ status: 'ok', detail: expect.stringMatching(new RegExp(`^gpu-pt-${id} plans CUDA 13\\.0 \\(pytorch [\\d.]+\\); the driver runs CUDA ≤ 13\\.0$`)) })

      const ci = await checks(undefined)
      expect(ci['nvidia-runtime']).toMatchObject({ status: 'warn', code: 'GPU_UNAVAILABLE' })
      expect(ci.gpu).toMatchObject({ status: 'ok', detail: sim.gpu.detail })
      expect(ci['gpu-build'].detail).toMatch(/but this engine has no nvidia runtime, so envctl up uses the CPU build$/)
    } finally {
      await pt.remove()
    }
  })

  it('a failing NVIDIA hook is a clear error naming the toolkit and doctor, and leaves nothing behind', async () => {
    const broken = await makeWorkspace({ 'envctl.toml': stack(`gpu-hook-${id}`) })
    const before = await containersOf(gpu.docker, env)
    await gpu.failHook(HOOK_ERROR)
    try {
      const r = await runCli(['up'], { cwd: broken.dir, user: broken.user, env: gpu.env() })
      expect(r.code, r.stderr).toBe(13)
      expect(r.stderr).toContain(`error[GPU_UNAVAILABLE]: the NVIDIA container toolkit's hook failed as the container started: ${HOOK_ERROR}`)
      expect(r.stderr).toMatch(/fix: .*NVIDIA Container Toolkit.*envctl doctor/)
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
      expect(await containersOf(gpu.docker, `gpu-hook-${id}`)).toEqual([])

      // Replacing a working environment: the replacement is removed, the previous container keeps running.
      expect((await cli(['up', '--gpus', 'all'])).code).toBe(13)
      const after = await containersOf(gpu.docker, env)
      expect(after.map((c) => [c.Id, c.Names, c.State])).toEqual(before.map((c) => [c.Id, c.Names, 'running']))
    } finally {
      await gpu.failHook(null)
      await broken.remove()
    }
  })
})
