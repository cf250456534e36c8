import { describe, expect, it } from 'vitest'
import type { ContainerInfo, ContainerSpec } from '../../../src/engine/engine.js'
import { configHash, containerMismatches } from '../../../src/environment/container/container-check.js'

const spec: ContainerSpec = {
  name: 'envctl-web-12345678',
  image: 'envctl/web:0123',
  user: '1000:1000',
  labels: { 'dev.envctl.managed': '1' },
  mounts: [{ type: 'bind', source: '/src/web', target: '/workspace' }],
  ports: [{ containerPort: 3000, hostPort: 3000, hostIp: '127.0.0.1', protocol: 'tcp' }],
  shmSizeBytes: 2 ** 31,
  ulimits: [],
  cmd: ['sleep', 'infinity'],
}

describe('configHash', () => {
  it.each([
    ['a port', { ports: [{ containerPort: 3001, hostPort: 3001, hostIp: '127.0.0.1' }] }],
    ['the bind address', { ports: [{ containerPort: 3000, hostPort: 3000, hostIp: '0.0.0.0', protocol: 'tcp' as const }] }],
    ['shm size', { shmSizeBytes: 2 ** 30 }],
    ['ulimits', { ulimits: [{ name: 'nofile', soft: 1024, hard: 1024 }] }],
    ['the command', { cmd: ['python', 'serve.py'] }],
    ['the workspace', { mounts: [{ type: 'bind' as const, source: '/src/web-2', target: '/workspace' }] }],
    ['GPUs', { gpus: { count: 'all' as const } }],
    ['the image', { image: 'envctl/web:4567' }],
  ])('changes with %s', (_, change) => {
    expect(configHash({ ...spec, ...change })).not.toBe(configHash(spec))
  })

  it('does not change with the name or labels, nor with key order', () => {
    const reordered = Object.fromEntries(Object.entries(spec).reverse()) as ContainerSpec
    expect(configHash({ ...reordered, name: 'other', labels: { a: 'b' } })).toBe(configHash(spec))
  })
})

describe('containerMismatches', () => {
  const info = (over: Partial<ContainerInfo> = {}): ContainerInfo => ({
    id: 'c1', name: 'envctl-web-12345678', image: 'envctl/web:0123', imageId: 'sha256:aaaaaaaaaaaaaaaaaaaa', labels: {}, status: 'running', running: true, exitCode: 0,
    ports: [{ containerPort: 3000, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 3000 }],
    mounts: [{ type: 'bind', source: '/src/web', target: '/workspace' }],
    ...over,
  })

  it('accepts the container the engine reports as planned', () => {
    expect(containerMismatches(spec, 'sha256:aaaaaaaaaaaaaaaaaaaa', info())).toEqual([])
  })

  it("reports another folder's workspace, a port it does not publish and another image", () => {
    const off = containerMismatches(spec, 'sha256:bbbbbbbbbbbbbbbbbbbb', info({ ports: [], mounts: [{ type: 'bind', source: '/src/other', target: '/workspace' }] }))
    expect(off).toEqual([
      'it runs image aaaaaaaaaaaa, not bbbbbbbbbbbb',
      '/workspace is /src/other, not /src/web',
      'port 3000/tcp is not published on 127.0.0.1:3000',
    ])
  })

  it('reports GPUs other than those asked for, in --gpus words', () => {
    expect(containerMismatches({ ...spec, gpus: { count: 'all', deviceIds: ['1', '3'] } }, 'sha256:aaaaaaaaaaaaaaaaaaaa', info({ gpus: { count: 'all' } }))).toEqual(['it has GPUs all, not device=1,3'])
    expect(containerMismatches(spec, 'sha256:aaaaaaaaaaaaaaaaaaaa', info({ gpus: { count: 2 } }))).toEqual(['it has GPUs count=2, not none'])
    expect(containerMismatches({ ...spec, gpus: { count: 2 } }, 'sha256:aaaaaaaaaaaaaaaaaaaa', info({ gpus: { count: 2, capabilities: [['gpu']] } }))).toEqual([])
  })

  it('does not ask a stopped container for published ports (the engine reports none until it runs)', () => {
    expect(containerMismatches(spec, 'sha256:aaaaaaaaaaaaaaaaaaaa', info({ running: false, status: 'exited', ports: [] }))).toEqual([])
  })
})
