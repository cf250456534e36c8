import { describe, expect, it } from 'vitest'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import { CONFIG_PATH, jupyterlabMajor, serverCommand, serverConfig, serverFlavor, tokenFromConfig } from '../../../src/notebook/server-config.js'
import { loadResolved } from '../render/fixtures.js'

const TOKEN = 'ab'.repeat(32)

function withLab(version: string | null) {
  const r = loadResolved('pytorch-gpu-cu126')
  r.pip = r.pip.filter((p) => p.name !== 'jupyterlab')
  if (version) r.pip.push({ name: 'jupyterlab', version, requirement: `jupyterlab==${version}`, reason: 'tooling' })
  return r
}

describe('jupyterlabMajor', () => {
  it.each([
    ['4.6.4', 4],
    ['>=4,<5', 4],
    ['>=3,<4', 3],
    ['==2.3.2', 2],
    ['*', 4],
    ['<5', 4],
  ])('%s → %i', (version, major) => expect(jupyterlabMajor(version)).toBe(major))
})

describe('serverFlavor', () => {
  it('puts the token where each server generation reads it', () => {
    expect(serverFlavor(withLab('4.6.4'))).toMatchObject({ tokenClass: 'IdentityProvider', rootClass: 'ServerApp', rootKey: 'root_dir' })
    expect(serverFlavor(withLab('3.6.8'))).toMatchObject({ tokenClass: 'ServerApp', rootClass: 'ServerApp', rootKey: 'root_dir' })
    expect(serverFlavor(withLab('2.3.2'))).toMatchObject({ tokenClass: 'NotebookApp', rootClass: 'NotebookApp', rootKey: 'notebook_dir' })
  })

  it.each(['node', 'java-maven'])('refuses the %s stack: no notebook without Python', (name) => {
    const run = () => serverFlavor(loadResolved(name))
    expect(run).toThrow(EnvctlError)
    expect(run).toThrow(/there is no notebook for it: JupyterLab needs Python/)
    expect(() => serverFlavor(loadResolved(name))).toThrow(expect.objectContaining({ code: 'UNRESOLVABLE', exitCode: 4, hint: expect.stringContaining('drop --notebook') }))
  })

  it('refuses a Python stack whose python gets no JupyterLab', () => {
    expect(() => serverFlavor(withLab(null))).toThrow(expect.objectContaining({ code: 'UNRESOLVABLE', message: expect.stringContaining('has no JupyterLab') }))
  })
})

describe('serverConfig', () => {
  it('is JSON with the token and /workspace as the root, for JupyterLab 4', () => {
    expect(JSON.parse(serverConfig(TOKEN, serverFlavor(withLab('4.6.4'))))).toEqual({ IdentityProvider: { token: TOKEN }, ServerApp: { root_dir: '/workspace' } })
  })

  it('keeps token and root in one class for older servers', () => {
    expect(JSON.parse(serverConfig(TOKEN, serverFlavor(withLab('3.6.8'))))).toEqual({ ServerApp: { token: TOKEN, root_dir: '/workspace' } })
    expect(JSON.parse(serverConfig(TOKEN, serverFlavor(withLab('2.3.2'))))).toEqual({ NotebookApp: { token: TOKEN, notebook_dir: '/workspace' } })
  })

  it('lets the server run as root only when the user is root', () => {
    expect(JSON.parse(serverConfig(TOKEN, serverFlavor(withLab('4.6.4')), true)).ServerApp).toEqual({ root_dir: '/workspace', allow_root: true })
    expect(JSON.parse(serverConfig(TOKEN, serverFlavor(withLab('2.3.2')), true)).NotebookApp).toEqual({ token: TOKEN, notebook_dir: '/workspace', allow_root: true })
  })

  it('never writes an empty or short token', () => {
    expect(() => serverConfig('', serverFlavor(withLab('4.6.4')))).toThrow(/128 bits/)
    expect(() => serverConfig('abc', serverFlavor(withLab('4.6.4')))).toThrow(/128 bits/)
  })

  it('reads back the token it wrote, whatever the class', () => {
    for (const v of ['4.6.4', '3.6.8', '2.3.2']) expect(tokenFromConfig(serverConfig(TOKEN, serverFlavor(withLab(v))))).toBe(TOKEN)
  })

  it.each(['', '{', '{"IdentityProvider":{"token":""}}', '{"ServerApp":{"root_dir":"/workspace"}}', '[]'])('finds no token in %j', (text) => {
    expect(tokenFromConfig(text)).toBeNull()
  })
})

describe('serverCommand', () => {
  it('starts JupyterLab from the config file, on all container interfaces, without a browser or a token', () => {
    const cmd = serverCommand()
    expect(cmd).toEqual(['jupyter', 'lab', `--config=${CONFIG_PATH}`, '--no-browser', '--ip=0.0.0.0', '--port=8888'])
    expect(cmd.join(' ')).not.toMatch(/token/i)
  })
})
