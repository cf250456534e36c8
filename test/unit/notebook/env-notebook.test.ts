import { posix } from 'node:path'
import type { Writable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { ContainerInfo, ContainerSummary, Engine, FileEntry } from '../../../src/engine/engine.js'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import { containerPlan } from '../../../src/environment/container/container-plan.js'
import { awaitNotebook } from '../../../src/notebook/await-notebook.js'
import { checkNotebookRequest, injectNotebook, notebookCmd, notebookExtras, planNotebook } from '../../../src/notebook/env-notebook.js'
import { CONFIG_PATH } from '../../../src/notebook/server-config.js'
import { loadResolved } from '../render/fixtures.js'

const TOKEN = 'cd'.repeat(32)
const python = () => loadResolved('pytorch-gpu-cu126')

/** Just what the notebook code asks of an engine. */
class NotebookEngine {
  readonly host = 'unix:///fake.sock'
  readonly local = true
  files = new Map<string, string>()
  removed: string[] = []
  put: Array<{ dir: string; files: FileEntry[] }> = []
  constructor(public containers: ContainerSummary[] = []) {}
  get engine(): Engine {
    return this as unknown as Engine
  }
  async listContainers(): Promise<ContainerSummary[]> {
    return this.containers.filter((c) => c.status === 'running')
  }
  async readFile(id: string, path: string): Promise<Buffer> {
    const text = this.files.get(`${id}:${path}`)
    if (text === undefined) throw new EnvctlError('NOT_FOUND', `${path} is not a regular file`)
    return Buffer.from(text)
  }
  async putFiles(_id: string, dir: string, files: FileEntry[]): Promise<void> {
    this.put.push({ dir, files })
  }
  async inspectContainer(id: string): Promise<ContainerInfo> {
    return { ...this.containers.find((c) => c.id === id)!, running: false, exitCode: 1, mounts: [] }
  }
  async logs(_id: string, o: { stdout: Writable; stderr: Writable }): Promise<void> {
    o.stderr.write('[C 12:00:00 ServerApp] Bad config encountered during initialization\nNo module named jupyterlab\n')
  }
  async removeContainer(id: string): Promise<void> {
    this.removed.push(id)
  }
}

function env(labels: Record<string, string> = {}, status: ContainerSummary['status'] = 'exited'): ContainerSummary {
  return { id: 'c1', name: 'envctl-p', image: 'i', imageId: 'sha256:i', labels: { 'dev.envctl.managed': '1', 'dev.envctl.project': 'p', ...labels }, status, statusText: '', created: 0, ports: [] }
}

describe('checkNotebookRequest', () => {
  it('accepts a Python stack, and asks nothing of a stack that wants no notebook', () => {
    expect(() => checkNotebookRequest({ enabled: true }, python(), 1000)).not.toThrow()
    expect(() => checkNotebookRequest(undefined, loadResolved('node'), 1000)).not.toThrow()
  })

  it('refuses --notebook, [notebook] enabled, or --port for a node stack', () => {
    const node = loadResolved('node')
    expect(() => checkNotebookRequest({ enabled: true }, node, 1000)).toThrow(expect.objectContaining({ code: 'UNRESOLVABLE' }))
    expect(() => checkNotebookRequest({ port: 9000 }, node, 1000)).toThrow(expect.objectContaining({ code: 'UNRESOLVABLE' }))
    node.notebook = { enabled: true, port: null }
    expect(() => checkNotebookRequest({}, node, 1000)).toThrow(/no notebook for it/)
  })

  it('checks the port from the flag or the stack file, before anything is built', () => {
    expect(() => checkNotebookRequest({ enabled: false, port: 80 }, python(), 1000)).toThrow(/--port 80 is below 1024/)
    const r = python()
    r.notebook = { enabled: true, port: 443 }
    expect(() => checkNotebookRequest({}, r, 1000)).toThrow(/notebook.port 443 is below 1024/)
  })

  it('refuses a stack whose run.command would be replaced by the server', () => {
    const r = python()
    r.run.command = ['python', 'serve.py']
    expect(() => checkNotebookRequest({ enabled: true }, r, 1000)).toThrow(/sets run.command/)
  })
})

describe('planNotebook', () => {
  it('gives a new environment a fresh token', async () => {
    const p = await planNotebook(new NotebookEngine().engine, { enabled: true, port: 41001 }, python(), null)
    expect(p.server?.port).toBe(41001)
    expect(p.server?.token).toMatch(/^[0-9a-f]{64}$/)
    expect(p.recreate).toBeNull()
  })

  it('keeps the token of an existing notebook, read from its config', async () => {
    const fake = new NotebookEngine([env({ 'dev.envctl.notebook.port': '41002' })])
    fake.files.set(`c1:${CONFIG_PATH}`, JSON.stringify({ IdentityProvider: { token: TOKEN } }))
    expect(await planNotebook(fake.engine, {}, python(), fake.containers[0])).toEqual({ server: { port: 41002, token: TOKEN }, recreate: null, notes: [] })
  })

  it('recreates a notebook container whose config is gone', async () => {
    const fake = new NotebookEngine([env({ 'dev.envctl.notebook.port': '41003' })])
    const p = await planNotebook(fake.engine, {}, python(), fake.containers[0])
    expect(p.recreate).toMatch(/notebook config was missing/)
    expect(p.server?.token).toMatch(/^[0-9a-f]{64}$/)
  })

  it('skips a port another container publishes', async () => {
    const other = { ...env({}, 'running'), id: 'c2', ports: [{ containerPort: 80, protocol: 'tcp', hostIp: '127.0.0.1', hostPort: 41004 }] }
    const p = await planNotebook(new NotebookEngine([other]).engine, { port: 41004 }, python(), null)
    expect(p.server?.port).toBe(41005)
    expect(p.notes).toEqual(['port 41004 is taken: the notebook uses 41005 instead'])
  })
})

describe('the notebook container', () => {
  it('publishes on 127.0.0.1 even when the stack binds its own ports elsewhere, with the port label and the server as command', () => {
    const r = python()
    r.run.bind = '0.0.0.0'
    r.run.ports = ['3000']
    const server = { port: 8890, token: TOKEN }
    const spec = { ...containerPlan({ resolved: r, name: 'envctl-p', env: 'p', image: 'i', hash: 'h', workspace: '/w', uid: 1000, gid: 1000, gpus: null, ...notebookExtras(server) }), ...notebookCmd(server) }
    expect(spec.ports).toContainEqual({ containerPort: 8888, hostPort: 8890, hostIp: '127.0.0.1', protocol: 'tcp' })
    expect(spec.labels?.['dev.envctl.notebook.port']).toBe('8890')
    expect(spec.cmd?.slice(0, 2)).toEqual(['jupyter', 'lab'])
    expect(JSON.stringify(spec)).not.toContain(TOKEN)
  })

  it('leaves the container as it was without a notebook', () => {
    expect(notebookExtras(null)).toEqual({ extraPorts: [], extraLabels: {} })
    expect(notebookCmd(null)).toEqual({})
  })

  it('writes the token config as a 0600 file owned by the user', async () => {
    const fake = new NotebookEngine()
    await injectNotebook(fake.engine, 'c1', { port: 8888, token: TOKEN }, python(), 1500, 1501)
    expect(fake.put).toEqual([{ dir: '/home/envctl', files: [{ path: '.config/envctl/jupyter_server_config.json', content: expect.stringContaining(TOKEN), mode: 0o600, uid: 1500, gid: 1501 }] }])
  })

  it('the server and `envctl url` read the config from the file written, in the user home beside its .envctl marker', async () => {
    const fake = new NotebookEngine([env({ 'dev.envctl.notebook.port': '8890' })])
    const server = { port: 8890, token: TOKEN }
    await injectNotebook(fake.engine, 'c1', server, python(), 1500, 1501)
    const [{ dir, files: [file] }] = fake.put
    const written = posix.join(dir, file!.path)
    expect(notebookCmd(server).cmd).toContain(`--config=${written}`)
    expect(posix.dirname(written)).not.toBe(dir)
    fake.files.set(`c1:${written}`, String(file!.content))
    const { listedUrl } = await import('../../../src/notebook/read-token.js')
    expect(await listedUrl(fake.engine, fake.containers[0], true)).toBe(`http://127.0.0.1:8890/lab?token=${TOKEN}`)
  })
})

describe('awaitNotebook', () => {
  it('fails with NOTEBOOK_FAILED and the server log, and removes a container it created', async () => {
    const fake = new NotebookEngine([env({}, 'exited')])
    const run = awaitNotebook(fake.engine, { env: 'p', containerId: 'c1', server: { port: 1, token: TOKEN }, request: { timeoutMs: 5000 }, created: true })
    await expect(run).rejects.toThrow(expect.objectContaining({ code: 'NOTEBOOK_FAILED', exitCode: 18, message: 'JupyterLab exited before it answered; its log ends:', problems: [{ message: '[C 12:00:00 ServerApp] Bad config encountered during initialization' }, { message: 'No module named jupyterlab' }] }))
    expect(fake.removed).toEqual(['c1'])
  })

  it('leaves a container it did not create', async () => {
    const fake = new NotebookEngine([env({}, 'exited')])
    await expect(awaitNotebook(fake.engine, { env: 'p', containerId: 'c1', server: { port: 1, token: TOKEN }, request: {}, created: false })).rejects.toThrow(expect.objectContaining({ hint: expect.stringContaining('envctl logs p') }))
    expect(fake.removed).toEqual([])
  })
})

describe('listedUrl', () => {
  it('hides the token unless asked, and reads it from the container when asked', async () => {
    const { listedUrl } = await import('../../../src/notebook/read-token.js')
    const fake = new NotebookEngine([env({ 'dev.envctl.notebook.port': '8890' })])
    fake.files.set(`c1:${CONFIG_PATH}`, JSON.stringify({ IdentityProvider: { token: TOKEN } }))
    expect(await listedUrl(fake.engine, fake.containers[0], false)).toBe('http://127.0.0.1:8890/lab?token=***')
    expect(await listedUrl(fake.engine, fake.containers[0], true)).toBe(`http://127.0.0.1:8890/lab?token=${TOKEN}`)
    expect(await listedUrl(fake.engine, env(), true)).toBeNull()
  })
})
