import { describe, expect, it } from 'vitest'
import type { ContainerSummary } from '../../../src/engine/engine.js'
import { envTable, inScope, sortEnvs, toEnvSummary } from '../../../src/environment/env-list.js'
import { age, bytes, formatTable } from '../../../src/ui/table.js'

const NOW = Date.parse('2026-03-01T12:00:00Z')

function container(env: string, over: Partial<ContainerSummary> = {}): ContainerSummary {
  return {
    id: `id-${env}`,
    name: `envctl-${env}`,
    image: `envctl/${env}:0123456789abcdef`,
    imageId: 'sha256:aa',
    labels: { 'dev.envctl.managed': '1', 'dev.envctl.project': env, 'dev.envctl.stack': 'node', 'dev.envctl.workspace': `/src/${env}`, 'dev.envctl.gpu': 'false' },
    status: 'running',
    statusText: 'Up 5 minutes',
    created: (NOW - 300_000) / 1000,
    ports: [],
    ...over,
  }
}

describe('toEnvSummary', () => {
  it('reads name, stack, workspace and owner from the labels and formats ports', () => {
    const ports = [{ containerPort: 8888, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 49153 }]
    const labels = { ...container('web').labels, 'dev.envctl.uid': '1500' }
    expect(toEnvSummary(container('web', { ports, labels }))).toEqual({
      name: 'web',
      container: 'envctl-web',
      id: 'id-web',
      status: 'running',
      statusText: 'Up 5 minutes',
      image: 'envctl/web:0123456789abcdef',
      stack: 'node',
      workspace: '/src/web',
      owner: 1500,
      ports: ['127.0.0.1:49153->8888/tcp'],
      gpu: false,
      gpus: 'none',
      created: '2026-03-01T11:55:00.000Z',
    })
  })

  it('says which GPUs from the gpus label, and "unknown" for an earlier envctl that only recorded that it had some', () => {
    const labels = container('g').labels
    expect(toEnvSummary(container('g', { labels: { ...labels, 'dev.envctl.gpu': 'true', 'dev.envctl.gpus': 'device=1,3' } })).gpus).toBe('device=1,3')
    expect(toEnvSummary(container('g', { labels: { ...labels, 'dev.envctl.gpu': 'true' } })).gpus).toBe('unknown')
  })

  it('falls back to the container name and nulls when labels are missing', () => {
    const e = toEnvSummary(container('x', { labels: { 'dev.envctl.managed': '1' } }))
    expect([e.name, e.stack, e.workspace, e.owner]).toEqual(['envctl-x', null, null, null])
  })
})

describe('inScope', () => {
  const scope = { workspace: '/src/web', uid: 1000 }
  it.each([
    ['the workspace, by an earlier envctl (no uid label)', container('web'), true],
    ['the workspace, under another name (up --name)', container('other', { labels: { 'dev.envctl.project': 'other', 'dev.envctl.workspace': '/src/web', 'dev.envctl.uid': '1000' } }), true],
    ['the workspace, but another user', container('web', { labels: { 'dev.envctl.project': 'web', 'dev.envctl.workspace': '/src/web', 'dev.envctl.uid': '1001' } }), false],
    ['the project name alone', container('web', { labels: { 'dev.envctl.project': 'web', 'dev.envctl.workspace': '/elsewhere/web', 'dev.envctl.uid': '1000' } }), false],
    ['neither', container('api'), false],
  ])('matches by %s', (_, c, expected) => {
    expect(inScope(c, scope)).toBe(expected)
  })

  it('matches everything without a project', () => {
    expect(inScope(container('api'), null)).toBe(true)
  })
})

describe('envTable', () => {
  it('renders aligned columns, sorted by name, with dashes for empty cells', () => {
    const web = container('web', { labels: { ...container('web').labels, 'dev.envctl.uid': '1000' } })
    const envs = sortEnvs([web, container('api', { status: 'exited', created: (NOW - 2 * 86_400_000) / 1000, labels: { 'dev.envctl.project': 'api' } })].map(toEnvSummary))
    expect(envTable(envs, NOW).split('\n')).toEqual([
      'NAME  CONTAINER   STATUS   IMAGE                        STACK  WORKSPACE  OWNER     GPUS  PORTS  CREATED',
      'api   envctl-api  exited   envctl/api:0123456789abcdef  -      -          -         none  -      2d ago',
      'web   envctl-web  running  envctl/web:0123456789abcdef  node   /src/web   uid 1000  none  -      5m ago',
    ])
  })
})

describe('table helpers', () => {
  it('formatTable pads every column but the last has no trailing blanks', () => {
    expect(formatTable(['A', 'BB'], [['xxx', 'y']])).toBe('A    BB\nxxx  y')
  })

  it.each([
    [0, 'just now'],
    [59_000, 'just now'],
    [60_000, '1m ago'],
    [3 * 3_600_000 + 5, '3h ago'],
    [49 * 3_600_000, '2d ago'],
    [-5_000, 'just now'],
  ])('age(%d ms) = %s', (ms, text) => {
    expect(age(NOW - ms, NOW)).toBe(text)
  })

  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1_536, '1.5 KB'],
    [227_833_394, '228 MB'],
    [3_200_000_000, '3.2 GB'],
  ])('bytes(%d) = %s', (n, text) => {
    expect(bytes(n)).toBe(text)
  })
})
