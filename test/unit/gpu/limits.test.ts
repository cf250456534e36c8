import { describe, expect, it } from 'vitest'
import { LimitRefusedError, refusedLimit, startFailed } from '../../../src/engine/engine-errors.js'
import { containerPlan } from '../../../src/environment/container/container-plan.js'
import { loweredWarning, settleRefusal, withoutLimit } from '../../../src/environment/container/limits.js'
import type { ResolvedStack } from '../../../src/resolvers/types.js'
import { loadResolved } from '../render/fixtures.js'

const RLIMIT = 'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error setting rlimits for ready process: error setting rlimit type 8: operation not permitted: unknown'
const HOOK = 'failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: error running hook #0: error running hook: exit status 1, stdout: , stderr: nvidia-container-cli: initialization error: nvml error: driver not loaded: unknown'
const httpError = (message: string) => Object.assign(new Error(`(HTTP code 500) server error - ${message} `), { statusCode: 500, json: { message } })

const gpuStack = (): ResolvedStack => loadResolved('pytorch-gpu-cu126')
const plan = (r: ResolvedStack) => containerPlan({ resolved: r, name: 'envctl-x', env: 'x', image: 'img', hash: 'h', workspace: '/w', uid: 1000, gid: 1000, gpus: { count: 'all' } })

describe('a limit the engine refuses', () => {
  it('is read from runc\'s error by its RLIMIT number', () => {
    expect(refusedLimit(RLIMIT)).toBe('memlock')
    expect(refusedLimit(RLIMIT.replace('type 8', 'type 3'))).toBe('stack')
    expect(refusedLimit('exec: "/x": stat /x: no such file or directory')).toBeNull()
    const err = startFailed(httpError(RLIMIT), 'c0ffee')
    expect(err).toBeInstanceOf(LimitRefusedError)
    expect(err).toMatchObject({ code: 'START_FAILED', limit: 'memlock', message: expect.stringMatching(/^the engine refused the container's memlock limit: /) })
  })

  it('GPU stacks ask for memlock unlimited and a 64 MiB stack; without a GPU, only what run.ulimits says', () => {
    expect(plan(gpuStack()).ulimits).toEqual([{ name: 'memlock', soft: -1, hard: -1 }, { name: 'stack', soft: 67108864, hard: 67108864 }])
    expect(plan({ ...gpuStack(), gpu: false, run: { ulimits: { memlock: 8388608 } } }).ulimits).toEqual([{ name: 'memlock', soft: 8388608, hard: 8388608 }])
  })

  it("an envctl default is dropped: the container gets the engine's own limit and is labelled for the warning", () => {
    const spec = plan(gpuStack())
    expect(settleRefusal(new LimitRefusedError('memlock', RLIMIT, null), gpuStack(), undefined, 'unix:///var/run/docker.sock')).toBe('memlock')
    const lowered = withoutLimit(spec, 'memlock')
    expect(lowered.ulimits).toEqual([{ name: 'stack', soft: 67108864, hard: 67108864 }])
    expect(lowered.labels).toMatchObject({ 'dev.envctl.limits-lowered': 'memlock', 'dev.envctl.gpus': 'all' })
    expect(withoutLimit(lowered, 'stack').labels?.['dev.envctl.limits-lowered']).toBe('memlock,stack')
    expect(loweredWarning('unix:///var/run/docker.sock', ['memlock'])).toMatch(/^the engine at unix:\/\/\/var\/run\/docker.sock refuses memlock=unlimited \(rootless Docker, or a daemon with a lower hard limit\): the environment runs with the engine's own limit.*envctl doctor/)
  })

  it("the stack file's own limit is the user's to change: an error naming the key and where it is set", () => {
    const r = { ...gpuStack(), run: { ulimits: { memlock: -1 } } }
    const at = { file: 'envctl.toml', line: 7, column: 1 }
    expect(() => settleRefusal(new LimitRefusedError('memlock', RLIMIT, null), r, at, 'unix:///var/run/docker.sock')).toThrow(
      expect.objectContaining({
        code: 'START_FAILED',
        message: 'the engine at unix:///var/run/docker.sock refuses run.ulimits.memlock = -1 (memlock=unlimited)',
        problems: [expect.objectContaining({ location: { ...at, keyPath: 'run.ulimits.memlock' } })],
        hint: expect.stringMatching(/^lower run.ulimits.memlock/),
      }),
    )
  })
})

describe('a failing NVIDIA hook', () => {
  it('names the NVIDIA container toolkit, what the hook said, and doctor, for a GPU container', () => {
    const err = startFailed(httpError(HOOK), 'c0ffee', { gpu: true })
    expect(err.code).toBe('GPU_UNAVAILABLE')
    expect(err.message).toBe("the NVIDIA container toolkit's hook failed as the container started: nvidia-container-cli: initialization error: nvml error: driver not loaded")
    expect(err.hint).toMatch(/NVIDIA Container Toolkit.*envctl doctor.*--gpus none/)
  })

  it('is a plain start failure for a container without GPUs', () => {
    expect(startFailed(httpError(HOOK), 'c0ffee').code).toBe('START_FAILED')
  })
})
