import { describe, expect, it } from 'vitest'
import type Dockerode from 'dockerode'
import { labelFilters, toContainerInfo, toCreateOptions } from '../../../src/engine/container-spec.js'

describe('toCreateOptions', () => {
  it('maps a dev container spec to the Docker API shape, publishing on 127.0.0.1 by default', () => {
    const options = toCreateOptions({
      name: 'envctl-demo',
      image: 'envctl/demo:abc',
      cmd: ['sleep', 'infinity'],
      env: { B: '2', A: '1' },
      labels: { 'dev.envctl.project': 'demo' },
      user: '1000:1000',
      workdir: '/workspace',
      mounts: [{ type: 'bind', source: '/home/me/demo', target: '/workspace' }],
      ports: [{ containerPort: 8888 }, { containerPort: 53, protocol: 'udp', hostIp: '0.0.0.0', hostPort: 5353 }],
      gpus: { count: 'all' },
      shmSizeBytes: 1 << 30,
      init: true,
    })
    expect(options).toMatchObject({
      name: 'envctl-demo',
      Image: 'envctl/demo:abc',
      Env: ['A=1', 'B=2'],
      ExposedPorts: { '8888/tcp': {}, '53/udp': {} },
      HostConfig: {
        Mounts: [{ Type: 'bind', Source: '/home/me/demo', Target: '/workspace', ReadOnly: false }],
        PortBindings: { '8888/tcp': [{ HostIp: '127.0.0.1', HostPort: '' }], '53/udp': [{ HostIp: '0.0.0.0', HostPort: '5353' }] },
        DeviceRequests: [{ Driver: '', Count: -1, Capabilities: [['gpu']] }],
        ShmSize: 1 << 30,
        Init: true,
        AutoRemove: false,
      },
    })
  })

  it('requests specific GPUs by id', () => {
    const options = toCreateOptions({ image: 'x', gpus: { count: 1, deviceIds: ['GPU-1'], capabilities: [['gpu', 'compute', 'utility']] } })
    expect(options.HostConfig?.DeviceRequests).toEqual([{ Driver: '', DeviceIDs: ['GPU-1'], Capabilities: [['gpu', 'compute', 'utility']] }])
  })
})

describe('toContainerInfo', () => {
  const raw = (DeviceRequests?: Dockerode.DeviceRequest[]) =>
    ({ Id: 'c1', Name: '/envctl-x', Config: { Image: 'img', Labels: {} }, Image: 'sha256:1', State: { Status: 'running', Running: true, ExitCode: 0 }, HostConfig: { DeviceRequests }, Mounts: [] }) as unknown as Dockerode.ContainerInspectInfo

  it('reads the GPUs back from the device request the engine keeps', () => {
    expect(toContainerInfo(raw([{ Driver: '', Count: -1, Capabilities: [['gpu']] }])).gpus).toEqual({ count: 'all', capabilities: [['gpu']] })
    expect(toContainerInfo(raw([{ Driver: '', Count: 2, Capabilities: [['gpu']] }])).gpus).toMatchObject({ count: 2 })
    expect(toContainerInfo(raw([{ Driver: '', DeviceIDs: ['1', '3'], Capabilities: [['gpu']] }])).gpus).toMatchObject({ count: 'all', deviceIds: ['1', '3'] })
    expect(toContainerInfo(raw(undefined)).gpus).toBeUndefined()
    expect(toContainerInfo(raw([])).gpus).toBeUndefined()
  })
})

describe('labelFilters', () => {
  it('builds a sorted label filter, with bare keys for "has label"', () => {
    expect(labelFilters({ 'dev.envctl.stack': 'pytorch', 'dev.envctl.project': true })).toBe(
      JSON.stringify({ label: ['dev.envctl.project', 'dev.envctl.stack=pytorch'] }),
    )
    expect(labelFilters({})).toBeUndefined()
  })
})
