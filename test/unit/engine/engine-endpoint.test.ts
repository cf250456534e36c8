import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { resolveEngineEndpoint } from '../../../src/engine/engine-endpoint.js'
import { connectEngine } from '../../../src/engine/connect.js'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'envctl-dockerctx-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const sha = (name: string) => createHash('sha256').update(name).digest('hex')

/** A context as `docker context create` writes it; `tls` adds ca/cert/key files beside it. */
function context(name: string, host: string, opts: { tls?: boolean; skipVerify?: boolean } = {}): string {
  const meta = join(dir, 'contexts/meta', sha(name))
  mkdirSync(meta, { recursive: true })
  writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: name, Metadata: {}, Endpoints: { docker: { Host: host, SkipTLSVerify: opts.skipVerify ?? false } } }))
  const tlsDir = join(dir, 'contexts/tls', sha(name), 'docker')
  if (opts.tls) {
    mkdirSync(tlsDir, { recursive: true })
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) writeFileSync(join(tlsDir, f), 'pem')
  }
  return tlsDir
}

const current = (name: string) => writeFileSync(join(dir, 'config.json'), JSON.stringify({ currentContext: name }))

describe('resolveEngineEndpoint: the docker CLI order', () => {
  it('takes the flag over DOCKER_HOST over DOCKER_CONTEXT over currentContext, and says which one it used', () => {
    context('gpu', 'tcp://10.0.0.5:2376')
    context('other', 'tcp://10.0.0.6:2375')
    current('other')
    const env = { DOCKER_HOST: 'tcp://env:2375', DOCKER_CONTEXT: 'gpu' }
    expect(resolveEngineEndpoint({ flagHost: 'unix:///x.sock', env, configDir: dir })).toEqual({ host: 'unix:///x.sock', source: 'flag --docker-host', kind: 'flag' })
    expect(resolveEngineEndpoint({ env, configDir: dir })).toEqual({ host: 'tcp://env:2375', source: 'env DOCKER_HOST', kind: 'env' })
    expect(resolveEngineEndpoint({ env: { DOCKER_CONTEXT: 'gpu' }, configDir: dir })).toEqual({ host: 'tcp://10.0.0.5:2376', source: 'context "gpu" (env DOCKER_CONTEXT)', kind: 'env' })
    expect(resolveEngineEndpoint({ env: {}, configDir: dir })).toEqual({ host: 'tcp://10.0.0.6:2375', source: `context "other" (currentContext in ${join(dir, 'config.json')})`, kind: 'docker-config' })
  })

  it("puts [engine] of the project's file, then the user config's, after DOCKER_CONTEXT and before currentContext", () => {
    context('gpu', 'tcp://10.0.0.5:2376')
    context('other', 'tcp://10.0.0.6:2375')
    current('other')
    const project = { host: 'ssh://me@gpu-box', where: 'engine.host in envctl.toml:2:1', kind: 'project' as const }
    const user = { context: 'gpu', where: 'engine.context in /home/ada/.config/envctl/config.toml:2:1', kind: 'user' as const }
    let reads = 0
    const configured = (list: Array<typeof project | typeof user>) => () => (reads++, list)
    expect(resolveEngineEndpoint({ env: {}, configDir: dir, configured: configured([project, user]) })).toEqual({ host: 'ssh://me@gpu-box', source: 'engine.host in envctl.toml:2:1', kind: 'project' })
    expect(resolveEngineEndpoint({ env: {}, configDir: dir, configured: configured([user]) })).toEqual({ host: 'tcp://10.0.0.5:2376', source: 'context "gpu" (engine.context in /home/ada/.config/envctl/config.toml:2:1)', kind: 'user' })
    expect(resolveEngineEndpoint({ env: {}, configDir: dir, configured: configured([]) })).toMatchObject({ host: 'tcp://10.0.0.6:2375', kind: 'docker-config' })
    expect(reads).toBe(3)
    // An explicit choice never reads the files: a broken envctl.toml cannot stop `--docker-host`.
    expect(resolveEngineEndpoint({ env: { DOCKER_CONTEXT: 'gpu' }, configDir: dir, configured: configured([project]) })).toMatchObject({ kind: 'env' })
    expect(resolveEngineEndpoint({ flagHost: 'unix:///x.sock', env: {}, configDir: dir, configured: configured([project]) })).toMatchObject({ kind: 'flag' })
    expect(reads).toBe(3)
  })

  it('turns TLS on for an [engine] tcp host with DOCKER_TLS_VERIFY, as for DOCKER_HOST', () => {
    const configured = () => [{ host: 'tcp://10.0.0.5:2376', where: 'engine.host in envctl.toml:2:1', kind: 'project' as const }]
    expect(resolveEngineEndpoint({ env: { DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: '/certs' }, configDir: dir, configured }).tls).toMatchObject({ dir: '/certs', verify: true })
  })

  it('uses the local socket without a config, and for the "default" context', () => {
    expect(resolveEngineEndpoint({ env: {}, configDir: join(dir, 'none') })).toEqual({ host: undefined, source: 'default (the local socket)', kind: 'default' })
    current('default')
    expect(resolveEngineEndpoint({ env: {}, configDir: dir })).toMatchObject({ host: undefined, source: expect.stringContaining('context "default"') })
  })

  it("takes a context's TLS files from contexts/tls/<sha256 of its name>/docker, verified unless SkipTLSVerify", () => {
    const tlsDir = context('gpu', 'tcp://10.0.0.5:2376', { tls: true })
    expect(resolveEngineEndpoint({ env: { DOCKER_CONTEXT: 'gpu' }, configDir: dir }).tls).toEqual({
      dir: tlsDir, ca: join(tlsDir, 'ca.pem'), cert: join(tlsDir, 'cert.pem'), key: join(tlsDir, 'key.pem'), verify: true, from: 'the TLS files of context "gpu"',
    })
    context('lax', 'tcp://10.0.0.5:2376', { tls: true, skipVerify: true })
    expect(resolveEngineEndpoint({ env: { DOCKER_CONTEXT: 'lax' }, configDir: dir }).tls?.verify).toBe(false)
  })

  it('turns TLS on for DOCKER_HOST with DOCKER_TLS_VERIFY, from DOCKER_CERT_PATH else the config folder', () => {
    const env = { DOCKER_HOST: 'tcp://10.0.0.5:2376', DOCKER_TLS_VERIFY: '1' }
    expect(resolveEngineEndpoint({ env: { ...env, DOCKER_CERT_PATH: '/certs' }, configDir: dir }).tls).toMatchObject({ dir: '/certs', ca: '/certs/ca.pem', verify: true, from: 'DOCKER_CERT_PATH' })
    expect(resolveEngineEndpoint({ env, configDir: dir }).tls).toMatchObject({ dir, cert: join(dir, 'cert.pem') })
    expect(resolveEngineEndpoint({ env: { DOCKER_HOST: 'tcp://10.0.0.5:2376' }, configDir: dir }).tls).toBeUndefined()
    expect(resolveEngineEndpoint({ env: { DOCKER_HOST: 'unix:///x.sock', DOCKER_TLS_VERIFY: '1' }, configDir: dir }).tls).toBeUndefined()
  })

  it('refuses a context that does not exist, naming the setting that chose it and how to list them', () => {
    current('gone')
    expect(() => resolveEngineEndpoint({ env: {}, configDir: dir })).toThrow(expect.objectContaining({
      code: 'ENGINE_UNREACHABLE',
      message: expect.stringContaining(`the Docker context "gone" (named by currentContext in ${join(dir, 'config.json')}) does not exist`),
      hint: expect.stringContaining('docker context ls'),
    }))
  })

  it('refuses a config.json that is not JSON, naming the file', () => {
    writeFileSync(join(dir, 'config.json'), '{ nope')
    expect(() => resolveEngineEndpoint({ env: {}, configDir: dir })).toThrow(expect.objectContaining({ code: 'ENGINE_UNREACHABLE', message: expect.stringContaining(`${join(dir, 'config.json')} is not valid JSON`) }))
  })
})

describe('connectEngine with TLS files', () => {
  const files = (d: string, verify = true) => ({ dir: d, ca: join(d, 'ca.pem'), cert: join(d, 'cert.pem'), key: join(d, 'key.pem'), verify, from: 'DOCKER_CERT_PATH' })

  it('refuses a missing CA when the engine is verified, naming the file and the fix', async () => {
    await expect(connectEngine({ host: 'tcp://10.0.0.5:2376', tls: files(dir), source: 'env DOCKER_HOST' })).rejects.toMatchObject({
      code: 'ENGINE_UNREACHABLE',
      message: `the TLS file ${join(dir, 'ca.pem')} (from DOCKER_CERT_PATH) does not exist, and the engine's certificate cannot be checked without it`,
      hint: expect.stringContaining(`put ca.pem, cert.pem and key.pem from the engine's administrator in ${dir}`),
    })
  })

  it('refuses a client certificate without its key', async () => {
    writeFileSync(join(dir, 'ca.pem'), 'pem')
    writeFileSync(join(dir, 'cert.pem'), 'pem')
    await expect(connectEngine({ host: 'tcp://10.0.0.5:2376', tls: files(dir) })).rejects.toMatchObject({ message: expect.stringContaining(`${join(dir, 'key.pem')} (from DOCKER_CERT_PATH) does not exist`) })
  })

  it('says where the engine choice came from', async () => {
    writeFileSync(join(dir, 'ca.pem'), 'pem')
    const engine = await connectEngine({ host: 'tcp://10.0.0.5:2376', tls: files(dir), source: 'context "gpu" (env DOCKER_CONTEXT)' })
    expect(engine).toMatchObject({ host: 'tcp://10.0.0.5:2376', local: false, source: 'context "gpu" (env DOCKER_CONTEXT)' })
  })
})

describe('a refused TLS handshake', () => {
  it('is ENGINE_UNREACHABLE naming the certificate folder and how to fix it, not a raw node error', async () => {
    const { engineUnreachable, isConnectionError } = await import('../../../src/engine/engine-errors.js')
    const err = { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed certificate' }
    expect(isConnectionError(err)).toBe(true)
    const e = engineUnreachable('tcp://10.0.0.5:2376', err, { dir: '/certs', from: 'DOCKER_CERT_PATH' })
    expect(e).toMatchObject({
      code: 'ENGINE_UNREACHABLE',
      message: 'cannot reach the Docker engine at tcp://10.0.0.5:2376: the TLS handshake failed (self-signed certificate) with the certificates in /certs (from DOCKER_CERT_PATH)',
      hint: expect.stringContaining('docker --tlsverify -H tcp://10.0.0.5:2376 version'),
    })
    expect(engineUnreachable('tcp://10.0.0.5:2376', { code: 'ECONNRESET', message: 'socket hang up' }).message).toContain('the connection broke off')
  })
})

describe('DOCKER_CERT_PATH without DOCKER_TLS_VERIFY', () => {
  const saved = { host: process.env.DOCKER_HOST, certs: process.env.DOCKER_CERT_PATH }
  afterEach(() => {
    for (const [k, v] of [['DOCKER_HOST', saved.host], ['DOCKER_CERT_PATH', saved.certs]] as const) {
      if (v === undefined) delete process.env[k]
      else process.env[k] = v
    }
  })

  it('naming a folder without the files is a clear error, not a raw ENOENT from docker-modem', async () => {
    process.env.DOCKER_HOST = 'tcp://10.0.0.5:2375'
    process.env.DOCKER_CERT_PATH = join(dir, 'none')
    await expect(connectEngine({ host: 'tcp://10.0.0.5:2375', source: 'env DOCKER_HOST' })).rejects.toMatchObject({
      code: 'ENGINE_UNREACHABLE',
      message: expect.stringMatching(/^the TLS file .*none\/(ca|cert|key)\.pem \(from DOCKER_CERT_PATH\) cannot be read \(ENOENT\)$/),
    })
  })
})
