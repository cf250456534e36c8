import { describe, expect, it } from 'vitest'
import { BuildFailedError } from '../../../src/engine/build-stream.js'
import { diskFull, diskFullIn, diskFullLine, engineFailure, engineMessage, engineUnreachable, isConnectionError, startFailed } from '../../../src/engine/engine-errors.js'
import { pullFailed } from '../../../src/engine/pull-stream.js'

/** Shaped like docker-modem's errors: statusCode, json from the daemon, and its "(HTTP code …)" message. */
function httpError(statusCode: number, message: string) {
  return Object.assign(new Error(`(HTTP code ${statusCode}) server error - ${message} `), { statusCode, json: { message } })
}

function connectError(code: string, address = '/var/run/docker.sock') {
  return Object.assign(new Error(`connect ${code} ${address}`), { code, errno: -2, syscall: 'connect', address })
}

const GPU = 'could not select device driver "" with capabilities: [[gpu]]'

describe('engineMessage', () => {
  it('takes the daemon message over docker-modem’s prefix', () => {
    expect(engineMessage(httpError(500, GPU))).toBe(GPU)
    expect(engineMessage(new Error('(HTTP code 404) no such container - No such container: abc '))).toBe('No such container: abc')
  })
})

describe('engine unreachable', () => {
  it.each([
    ['ENOENT', 'the socket does not exist', /start the engine/],
    ['ECONNREFUSED', 'connection refused', /DOCKER_HOST/],
    ['EACCES', 'permission denied on the socket', /docker group/],
    ['ENOTFOUND', 'the host name does not resolve', /check the host/],
  ])('%s names the host, the reason and the fix', (code, why, fix) => {
    const err = engineUnreachable('unix:///var/run/docker.sock', connectError(code))
    expect(err.code).toBe('ENGINE_UNREACHABLE')
    expect(err.message).toBe(`cannot reach the Docker engine at unix:///var/run/docker.sock: ${why}`)
    expect(err.hint).toMatch(fix)
  })

  it('says when something other than a Docker engine answered', () => {
    const err = engineUnreachable('tcp://10.0.0.9:2375', Object.assign(new Error('(HTTP code 404) unexpected -  '), { statusCode: 404, json: Buffer.alloc(0) }))
    expect(err.message).toBe('cannot reach the Docker engine at tcp://10.0.0.9:2375: it answered /_ping with HTTP 404, so it is not a Docker engine')
  })

  it.each([
    ['ECONNRESET', Object.assign(new Error('aborted'), { code: 'ECONNRESET' })],
    ['a bare "aborted"', new Error('aborted')],
    ['socket hang up', new Error('socket hang up')],
  ])('says the engine went away mid-request (%s)', (_, err) => {
    const e = engineUnreachable('unix:///run/d.sock', err)
    expect(e.message).toBe('cannot reach the Docker engine at unix:///run/d.sock: the connection broke off mid-request (the engine stopped or restarted)')
    expect(e.hint).toMatch(/docker info/)
  })

  it('explains timeouts', () => {
    expect(engineUnreachable('tcp://10.1.2.3:2375', { name: 'TimeoutError' }).message).toMatch(/no answer in time/)
  })

  it('tells connection failures from daemon answers', () => {
    expect(isConnectionError(connectError('ECONNREFUSED'))).toBe(true)
    expect(isConnectionError(Object.assign(new Error('All configured authentication methods failed'), { level: 'client-authentication' }))).toBe(true)
    expect(isConnectionError(httpError(500, 'dial tcp: lookup registry-1.docker.io: no such host'))).toBe(false)
  })
})

describe('startFailed', () => {
  it.each([
    [GPU, 'GPU_UNAVAILABLE', /NVIDIA Container Toolkit/],
    ['driver failed programming external connectivity on endpoint x: Bind for 127.0.0.1:8888 failed: port is already allocated', 'PORT_IN_USE', /another host port/],
    ['Error starting userland proxy: listen tcp4 127.0.0.1:8888: bind: address already in use', 'PORT_IN_USE', /another host port/],
    ['OCI runtime create failed: exec: "nope": executable file not found in $PATH', 'START_FAILED', /envctl logs/],
  ])('%s → %s', (message, code, hint) => {
    const err = startFailed(httpError(500, message), 'f00dfeedcafe0123456789')
    expect(err.code).toBe(code)
    expect(err.message).toContain(message)
    expect(err.hint).toMatch(hint)
  })
})

describe('engineFailure', () => {
  const host = 'unix:///var/run/docker.sock'

  it('maps 404 to NOT_FOUND, naming what was asked for', () => {
    expect(engineFailure(httpError(404, 'No such image: nope:1'), host, 'image nope:1')).toMatchObject({
      code: 'NOT_FOUND',
      message: 'image nope:1 not found: No such image: nope:1',
    })
  })

  it('maps a name conflict to NAME_CONFLICT', () => {
    const message = 'Conflict. The container name "/envctl-demo" is already in use by container "abc". You have to remove (or rename) that container to be able to reuse that name.'
    expect(engineFailure(httpError(409, message), host, 'container name "envctl-demo"')).toMatchObject({ code: 'NAME_CONFLICT' })
  })

  it('maps connection errors to ENGINE_UNREACHABLE and leaves other errors alone', () => {
    expect(engineFailure(connectError('ENOENT'), host, 'x')).toMatchObject({ code: 'ENGINE_UNREACHABLE' })
    const other = httpError(500, 'something else')
    expect(engineFailure(other, host, 'x')).toBe(other)
  })
})

describe('pullFailed', () => {
  it.each([
    ['manifest for debian:nope not found: manifest unknown: manifest unknown', 'no such image or tag in the registry'],
    ["pull access denied for nope, repository does not exist or may require 'docker login'", 'no such image or tag in the registry'],
    ['unauthorized: authentication required', 'the registry refused access'],
    ['Get "https://registry-1.docker.io/v2/": dial tcp: lookup registry-1.docker.io on 10.0.0.2:53: no such host', 'the registry is unreachable'],
  ])('%s', (message, reason) => {
    const err = pullFailed('debian:nope', message)
    expect(err.code).toBe('PULL_FAILED')
    expect(err.message).toBe(`cannot pull debian:nope: ${reason} (${message})`)
    expect(err.hint).toMatch(/\[mirrors\] registry/)
    expect(err.hint).toMatch(/docker login/)
    expect(err.hint).toMatch(/credsStore and credHelpers/)
  })
})

describe('disk full', () => {
  it.each([
    ['pip in a build step', 'ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device'],
    ['BuildKit committing a layer', 'failed to compute cache key: write /var/lib/docker/overlay2/abc/diff/x: no space left on device'],
    ['a pull', 'failed to register layer: Error processing tar file(exit status 1): write /usr/lib/x.so: no space left on device'],
    ['npm', 'npm ERR! code ENOSPC'],
    ['a quota', 'mkdir /var/lib/docker/tmp/x: disk quota exceeded'],
  ])('finds the line that says so (%s)', (_, line) => {
    expect(diskFullLine(['exit code: 1', `Collecting torch\n${line}\n`])).toBe(line)
  })

  it('finds nothing in an unrelated failure', () => {
    expect(diskFullLine(['exit code: 1', 'E: Unable to locate package nope', 'No space for excuses'])).toBeUndefined()
  })

  it('names the data root, the step, the engine\'s words and the ways to free space', () => {
    const line = 'ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device'
    const err = diskFull({ line, during: 'build step "[stage-0 3/6] RUN pip install torch"' }, { dataRoot: '/var/lib/docker' })
    expect(err.code).toBe('DISK_FULL')
    expect(err.exitCode).toBe(21)
    expect(err.message).toBe(`the engine ran out of disk space at /var/lib/docker during build step "[stage-0 3/6] RUN pip install torch": ${line}`)
    expect(err.hint).toMatch(/^free space in \/var\/lib\/docker: envctl prune .*docker system df/)
  })

  it('tells a full disk in a failed build step by its log, naming the step in short', () => {
    const step = `[stage-0 3/6] RUN --mount=type=cache,target=/root/.cache/pip     umask 0000  && python -m pip install ${"'torch==2.13.0+cpu' ".repeat(8)}`
    const log = ['Installing collected packages: torch', 'ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device']
    const failed = new BuildFailedError('exit code: 1', { id: 'x', name: step, error: 'process "/bin/sh -c …" did not complete successfully: exit code: 1', logTail: log })
    const facts = diskFullIn(failed, 'build of envctl/x:1')
    expect(facts?.line).toBe(log[1])
    expect(facts?.during).toMatch(/^build step "\[stage-0 3\/6\] RUN --mount=type=cache,target=\/root\/.cache\/pip umask 0000 && python -m pip install .+…"$/)
    expect(facts?.during.length).toBeLessThan(115)
    expect(facts?.problems.map((p) => p.message)).toEqual(log.map((l) => `| ${l}`))
  })

  it('tells a full disk in a pull or any other engine answer by its message, and nothing else', () => {
    const pull = Object.assign(new Error('(HTTP code 500) server error - write /var/lib/docker/tmp/x: no space left on device '), { statusCode: 500, json: { message: 'write /var/lib/docker/tmp/x: no space left on device' } })
    expect(diskFullIn(pull, 'pull of python:3.11')).toEqual({ line: 'write /var/lib/docker/tmp/x: no space left on device', during: 'the pull of python:3.11', problems: [] })
    expect(diskFullIn(new BuildFailedError('exit code: 1', { id: 'x', name: 'RUN apt-get install nope', error: 'exit code: 100', logTail: ['E: Unable to locate package nope'] }), 'build')).toBeUndefined()
  })

  it('still points at the data root when the engine could not say where it is', () => {
    const err = diskFull({ line: 'no space left on device', during: 'the pull of python:3.11' })
    expect(err.message).toBe('the engine ran out of disk space in its data root during the pull of python:3.11: no space left on device')
    expect(err.hint).toMatch(/Docker Root Dir/)
  })
})
