import { describe, expect, it } from 'vitest'
import { parseDockerHost } from '../../../src/engine/docker-host.js'

function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (err) {
    return err as Error
  }
  throw new Error('expected it to throw')
}

const none = { socketPath: undefined, host: undefined, port: undefined, username: undefined }

describe('parseDockerHost', () => {
  it.each([undefined, '', '  '])('defaults to the local socket for %j', (value) => {
    expect(parseDockerHost(value)).toEqual({
      display: 'unix:///var/run/docker.sock',
      local: true,
      options: { ...none, protocol: 'http', socketPath: '/var/run/docker.sock' },
    })
  })

  it('takes a unix socket path', () => {
    expect(parseDockerHost('unix:///run/user/1000/docker.sock')).toMatchObject({
      local: true,
      options: { socketPath: '/run/user/1000/docker.sock', host: undefined, protocol: 'http' },
    })
  })

  it('takes a Windows named pipe', () => {
    expect(parseDockerHost('npipe:////./pipe/docker_engine').options.socketPath).toBe('//./pipe/docker_engine')
  })

  it.each([
    ['tcp://10.0.0.5:2375', 'tcp://10.0.0.5:2375', 'http', 2375],
    ['tcp://docker.internal', 'tcp://docker.internal:2375', 'http', 2375],
    ['tcp://docker.internal:2376', 'tcp://docker.internal:2376', 'https', 2376],
    ['https://docker.internal', 'tcp://docker.internal:2376', 'https', 2376],
    ['localhost:2375', 'tcp://localhost:2375', 'http', 2375],
  ])('takes tcp address %s', (value, display, protocol, port) => {
    const parsed = parseDockerHost(value)
    expect(parsed.display).toBe(display)
    expect(parsed.local).toBe(false)
    expect(parsed.options).toEqual({ ...none, protocol, host: display.slice(6, display.lastIndexOf(':')), port })
  })

  it('takes an ssh address with user and port', () => {
    expect(parseDockerHost('ssh://dev@gpu-box:2222')).toEqual({
      display: 'ssh://dev@gpu-box:2222',
      local: false,
      options: { ...none, protocol: 'ssh', host: 'gpu-box', port: 2222, username: 'dev' },
    })
  })

  it('defaults ssh to port 22 without a user', () => {
    expect(parseDockerHost('ssh://gpu-box')).toMatchObject({ display: 'ssh://gpu-box', options: { port: undefined, username: undefined } })
  })

  it.each([
    ['unix://', /names no socket path/],
    ['fd://', /scheme "fd" is not supported/],
    ['tcp://', /not a valid address|names no host/],
    ['tcp://host:notaport', /not a valid address/],
  ])('rejects %s with a USAGE error', (value, message) => {
    const err = thrown(() => parseDockerHost(value))
    expect(err.message).toMatch(message)
    expect(err).toMatchObject({ code: 'USAGE', hint: expect.stringContaining('DOCKER_HOST') })
  })
})
