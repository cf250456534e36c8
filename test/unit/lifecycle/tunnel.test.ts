import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../../src/engine/engine.js'
import { requireTunnelEngine, tunnelPorts } from '../../../src/environment/tunnel/forward.js'
import { tunnelFile, writeTunnel } from '../../../src/environment/tunnel/tunnel-state.js'
import { viaTunnel } from '../../../src/environment/tunnel/tunnel-url.js'

const dir = mkdtempSync(join(tmpdir(), 'envctl-tunnel-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const sshEngine = { host: 'ssh://me@gpu', local: false, tunnel: { open: () => Promise.reject(new Error('unused')), end: () => undefined } } as unknown as Engine
const tcpEngine = { host: 'tcp://10.0.0.5:2376', local: false } as unknown as Engine
const localEngine = { host: 'unix:///var/run/docker.sock', local: true } as unknown as Engine
const nb = { name: 'proj', url: 'http://127.0.0.1:8888/lab?token=t0k', port: 8888, containerId: 'c1' }

describe('tunnelPorts', () => {
  it('carries TCP ports published on loopback or every address, once each, in order', () => {
    const ports = [
      { containerPort: 8888, hostPort: 8888, hostIp: '127.0.0.1', protocol: 'tcp' },
      { containerPort: 80, hostPort: 8080, hostIp: '0.0.0.0', protocol: 'tcp' },
      { containerPort: 80, hostPort: 8080, hostIp: '::', protocol: 'tcp' },
      { containerPort: 53, hostPort: 5353, hostIp: '127.0.0.1', protocol: 'udp' },
      { containerPort: 22, hostPort: 2222, hostIp: '10.0.0.5', protocol: 'tcp' },
    ]
    expect(tunnelPorts({ ports })).toEqual([8080, 8888])
  })
})

describe('requireTunnelEngine', () => {
  it('says that a tcp engine needs ssh for a tunnel, and that a local one needs none', () => {
    expect(() => requireTunnelEngine(tcpEngine)).toThrow(/reached over TCP, and a tunnel needs ssh/)
    expect(() => requireTunnelEngine(localEngine)).toThrow(/on this machine: its ports already listen on 127.0.0.1 here/)
    expect(requireTunnelEngine(sshEngine)).toBeTypeOf('function')
  })
})

describe('viaTunnel', () => {
  it('gives the port here when a live forwarder carries it', () => {
    writeTunnel(tunnelFile(dir, 'proj'), { pid: process.pid, engine: 'ssh://me@gpu', containerId: 'c1', mappings: [{ remote: 8888, local: 18888 }] })
    expect(viaTunnel(sshEngine, nb, dir)).toMatchObject({ url: 'http://127.0.0.1:18888/lab?token=t0k', port: 18888, tunnel: { status: 'running', pid: process.pid } })
  })

  it('says no tunnel runs when its record is of another container or a dead process', () => {
    writeTunnel(tunnelFile(dir, 'proj'), { pid: process.pid, engine: 'ssh://me@gpu', containerId: 'old', mappings: [{ remote: 8888, local: 18888 }] })
    expect(viaTunnel(sshEngine, nb, dir)).toMatchObject({ url: nb.url, tunnel: { status: 'stopped', note: expect.stringContaining('run envctl forward proj') } })
    writeTunnel(tunnelFile(dir, 'proj'), { pid: 2 ** 22 + 7, engine: 'ssh://me@gpu', containerId: 'c1', mappings: [{ remote: 8888, local: 18888 }] })
    expect(viaTunnel(sshEngine, nb, dir).tunnel?.status).toBe('stopped')
  })

  it('on tcp says a tunnel needs ssh; on a local engine adds nothing', () => {
    expect(viaTunnel(tcpEngine, nb, dir).tunnel).toMatchObject({ status: 'needs-ssh' })
    expect(viaTunnel(localEngine, nb, dir)).toEqual(nb)
  })
})
