import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { connectEngine } from '../../../src/engine/connect.js'
import { readRegistryAuth } from '../../../src/engine/docker-config-file.js'

const saved = { DOCKER_HOST: process.env.DOCKER_HOST }
afterEach(() => {
  if (saved.DOCKER_HOST === undefined) delete process.env.DOCKER_HOST
  else process.env.DOCKER_HOST = saved.DOCKER_HOST
})

describe('connectEngine', () => {
  it('talks to the host it is given, even when DOCKER_HOST names another (docker-modem reads it too)', async () => {
    process.env.DOCKER_HOST = 'tcp://127.0.0.1:1'
    const engine = await connectEngine({ host: 'unix:///nonexistent/envctl.sock' })
    expect(engine).toMatchObject({ host: 'unix:///nonexistent/envctl.sock', local: true })
    await expect(engine.ping()).rejects.toMatchObject({
      code: 'ENGINE_UNREACHABLE',
      message: 'cannot reach the Docker engine at unix:///nonexistent/envctl.sock: the socket does not exist',
    })
  })

  it('reports a refused tcp connection with the host it tried', async () => {
    const engine = await connectEngine({ host: 'tcp://127.0.0.1:1' })
    expect(engine.local).toBe(false)
    await expect(engine.version()).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE', message: 'cannot reach the Docker engine at tcp://127.0.0.1:1: connection refused' })
  })
})

describe('readRegistryAuth', () => {
  it('reads credentials for an image from <configDir>/config.json, and none without the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'envctl-dockercfg-'))
    try {
      writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { 'ghcr.io': { auth: Buffer.from('me:secret').toString('base64') } } }))
      expect(await readRegistryAuth('ghcr.io/me/img:1', dir)).toEqual({ auth: { serveraddress: 'ghcr.io', username: 'me', password: 'secret' } })
      expect(await readRegistryAuth('debian:bookworm-slim', dir)).toEqual({})
      expect(await readRegistryAuth('ghcr.io/me/img:1', join(dir, 'missing'))).toEqual({})
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
