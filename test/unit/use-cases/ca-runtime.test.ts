import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Engine, FileEntry } from '../../../src/engine/engine.js'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import { buildContextFiles, injectCaBundle, RUNTIME_BUNDLE } from '../../../src/environment/container/ca-files.js'
import { containerPlan } from '../../../src/environment/container/container-plan.js'
import { specHash } from '../../../src/environment/naming.js'
import { loadResolved } from '../render/fixtures.js'
import { stackDir } from '../stack/helpers.js'

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'
const dir = stackDir({ 'ca.pem': PEM, 'other.pem': PEM.replace('MIIB', 'MIIC'), 'der.cer': '0\x82\x01' })

function resolvedWith(network: Record<string, unknown>) {
  const r = loadResolved('with-mirrors')
  r.network = network
  return r
}

const plan = (network: Record<string, unknown>) =>
  containerPlan({ resolved: resolvedWith(network), name: 'envctl-x', env: 'x', image: 'envctl/x:1', hash: 'h', workspace: '/src/x', uid: 1000, gid: 1000, gpus: null })

describe('the CA bundle in the build context and the running environment', () => {
  it('the CA content goes into the build context under a fixed name; no CA, no file', () => {
    expect(buildContextFiles(resolvedWith({}))).toEqual({})
    expect(buildContextFiles(resolvedWith({ caBundle: join(dir, 'ca.pem') }))).toEqual({ 'envctl-ca.pem': Buffer.from(PEM) })
  })

  it('a missing or non-PEM CA file is a clear error naming the setting and where it was set', () => {
    const setAt = { file: 'envctl.toml', line: 9, column: 1, keyPath: 'network.ca_bundle' }
    const missing = (() => { try { buildContextFiles(resolvedWith({ caBundle: join(dir, 'gone.pem') }), setAt) } catch (e) { return e as EnvctlError } })()
    expect(missing).toMatchObject({ code: 'NOT_FOUND', problems: [{ location: setAt }] })
    expect(missing?.message).toMatch(/cannot read the CA bundle .*gone\.pem \(network\.ca_bundle\): ENOENT/)
    expect(() => buildContextFiles(resolvedWith({ caBundle: join(dir, 'der.cer') }))).toThrow(/holds no PEM certificate/)
  })

  it('the CA content is part of the image hash: another CA, another image', () => {
    const text = 'FROM x\n'
    const a = specHash(text, buildContextFiles(resolvedWith({ caBundle: join(dir, 'ca.pem') })))
    const b = specHash(text, buildContextFiles(resolvedWith({ caBundle: join(dir, 'other.pem') })))
    expect(new Set([a, b, specHash(text)]).size).toBe(3)
  })

  it('at run time the CA is mounted read-only and named to the tools', () => {
    const spec = plan({ caBundle: '/home/ada/corp.pem' })
    expect(spec.mounts).toContainEqual({ type: 'bind', source: '/home/ada/corp.pem', target: '/run/envctl/ca.pem', readOnly: true })
    expect(spec.env).toMatchObject({ NODE_EXTRA_CA_CERTS: '/run/envctl/ca.pem', PIP_CERT: RUNTIME_BUNDLE, REQUESTS_CA_BUNDLE: RUNTIME_BUNDLE, SSL_CERT_FILE: RUNTIME_BUNDLE })
  })

  it('without a CA, or with the CA in the image, nothing is mounted or set', () => {
    for (const network of [{}, { caBundle: '/home/ada/corp.pem', caInImage: true }]) {
      const spec = plan(network)
      expect(spec.mounts?.map((m) => m.target)).not.toContain('/run/envctl/ca.pem')
      expect(Object.keys(spec.env ?? {})).not.toContain('SSL_CERT_FILE')
    }
  })

  it('the run-time bundle is the image\'s system bundle plus the CA, written into the container only', async () => {
    const put: Array<{ dir: string; files: FileEntry[] }> = []
    const engine = {
      local: true,
      readFile: async () => Buffer.from('SYSTEM ROOTS'),
      putFiles: async (_id: string, d: string, files: FileEntry[]) => void put.push({ dir: d, files }),
    } as unknown as Engine
    await injectCaBundle(engine, 'c1', resolvedWith({ caBundle: '/x' }), { 'envctl-ca.pem': Buffer.from(PEM) })
    expect(put).toEqual([{ dir: '/run/envctl', files: [{ path: 'ca-bundle.pem', content: Buffer.from(`SYSTEM ROOTS\n${PEM}`), mode: 0o644, uid: 0, gid: 0 }] }])
    put.length = 0
    await injectCaBundle(engine, 'c1', resolvedWith({ caBundle: '/x', caInImage: true }), { 'envctl-ca.pem': Buffer.from(PEM) })
    expect(put).toEqual([])
  })

  it('on a remote engine, which cannot bind-mount the CA file from here, the CA is written into the container beside the bundle and not mounted', async () => {
    const put: Array<{ dir: string; files: FileEntry[] }> = []
    const engine = {
      local: false,
      readFile: async () => Buffer.from('SYSTEM ROOTS\n'),
      putFiles: async (_id: string, d: string, files: FileEntry[]) => void put.push({ dir: d, files }),
    } as unknown as Engine
    await injectCaBundle(engine, 'c1', resolvedWith({ caBundle: '/x' }), { 'envctl-ca.pem': Buffer.from(PEM) })
    expect(put).toEqual([{ dir: '/run', files: [
      { path: 'envctl/ca-bundle.pem', content: Buffer.from(`SYSTEM ROOTS\n${PEM}`), mode: 0o644, uid: 0, gid: 0 },
      { path: 'envctl/ca.pem', content: Buffer.from(PEM), mode: 0o644, uid: 0, gid: 0 },
    ] }])
    const spec = containerPlan({ resolved: resolvedWith({ caBundle: join(dir, 'ca.pem') }), name: 'envctl-x', env: 'x', image: 'envctl/x:1', hash: 'h', workspace: '/src/x', workspaceSource: '/srv/x', localFiles: false, uid: 1000, gid: 1000, gpus: null })
    expect(spec.mounts?.filter((m) => m.type === 'bind')).toEqual([{ type: 'bind', source: '/srv/x', target: '/workspace' }])
    expect(spec.env).toMatchObject({ NODE_EXTRA_CA_CERTS: '/run/envctl/ca.pem' })
  })
})
