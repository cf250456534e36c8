import { describe, expect, it } from 'vitest'
import { workspaceMount } from '../../../src/environment/container/workspace-mount.js'
import { containerPlan } from '../../../src/environment/container/container-plan.js'
import { loadStack } from '../../../src/stack/load.js'
import { caught, stackDir } from '../stack/helpers.js'
import { loadResolved } from '../render/fixtures.js'

const local = { host: 'unix:///var/run/docker.sock', local: true }
const remote = { host: 'tcp://10.0.0.5:2376', local: false }

describe('workspaceMount', () => {
  it('mounts the project folder on a local engine, silently', () => {
    expect(workspaceMount({ workspace: '/home/me/p', engine: local, volume: 'envctl-p-1-workspace' })).toEqual({ source: '/home/me/p' })
  })

  it('mounts the remote folder the stack names, and says so in one line with where it was set', () => {
    const m = workspaceMount({ workspace: '/home/me/p', setting: 'remote:/srv/me/p', at: { file: 'envctl.toml', line: 3 }, engine: remote, volume: 'envctl-p-1-workspace' })
    expect(m).toEqual({ source: '/srv/me/p', note: 'workspace: /srv/me/p on the engine\'s host (tcp://10.0.0.5:2376), from workspace = "remote:/srv/me/p" (envctl.toml:3)' })
  })

  it('mounts the environment\'s workspace volume on a remote engine without workspace = "remote:…" (the upload says its own line)', () => {
    expect(workspaceMount({ workspace: '/home/me/p', engine: remote, volume: 'envctl-p-1-workspace' })).toEqual({ source: 'envctl-p-1-workspace', volume: true })
  })
})

describe('workspace in the stack file', () => {
  it('is read with where it was set, and becomes the bind source of /workspace', () => {
    const dir = stackDir({ 'envctl.toml': 'extends = "pytorch"\nworkspace = "remote:/srv/me/p"\n' })
    const spec = loadStack('./envctl.toml', { cwd: dir })
    expect(spec.workspace).toBe('remote:/srv/me/p')
    expect(spec.provenance['workspace.path']).toMatchObject({ line: 2 })
    expect(spec.workspaceExclude).toEqual([])
  })

  it('the table form gives the path and the exclude list; a base file\'s string and a nearer table merge key by key', () => {
    const dir = stackDir({
      'base.toml': 'extends = "pytorch"\nworkspace = "remote:/srv/me/p"\n',
      'envctl.toml': 'extends = "./base.toml"\n[workspace]\nexclude = ["data/", "*.ckpt"]\n',
    })
    const spec = loadStack('./envctl.toml', { cwd: dir })
    expect(spec.workspace).toBe('remote:/srv/me/p')
    expect(spec.workspaceExclude).toEqual(['data/', '*.ckpt'])
  })

  it('refuses a wrong exclude and a workspace of the wrong type at file:line:column', () => {
    const dir = stackDir({ 'envctl.toml': 'extends = "pytorch"\n[workspace]\nexclude = ["ok", 3]\npaht = "x"\n' })
    const err = caught(() => loadStack('./envctl.toml', { cwd: dir }))
    expect(err.code).toBe('INVALID_STACK')
    expect(err.problems.map((p) => [p.location?.line, p.location?.column, p.location?.keyPath, p.message])).toEqual([
      [3, 18, 'workspace.exclude[1]', 'expected a string, got an integer (3)'],
      [4, 1, 'workspace.paht', 'unknown key `paht`; did you mean `path`?'],
    ])
    const wrongType = stackDir({ 'envctl.toml': 'extends = "pytorch"\nworkspace = 3\n' })
    expect(caught(() => loadStack('./envctl.toml', { cwd: wrongType })).problems[0]).toMatchObject({ message: 'expected a string or a table, got an integer', location: { line: 2, keyPath: 'workspace' } })
  })

  it('containerPlan mounts the workspace volume when the upload is used', () => {
    const spec = containerPlan({ resolved: loadResolved('with-mirrors'), name: 'envctl-x', env: 'x', image: 'img', hash: 'h', workspace: '/home/me/p', workspaceSource: 'envctl-x-workspace', workspaceVolume: true, uid: 1000, gid: 1000, gpus: null })
    expect(spec.mounts).toContainEqual({ type: 'volume', source: 'envctl-x-workspace', target: '/workspace' })
  })

  it('is refused when it is not remote: and an absolute path, at its line', () => {
    const dir = stackDir({ 'envctl.toml': 'extends = "pytorch"\nworkspace = "/srv/me/p"\n' })
    const err = caught(() => loadStack('./envctl.toml', { cwd: dir }))
    expect(err.code).toBe('INVALID_STACK')
    expect(err.problems[0]).toMatchObject({ location: { line: 2 } })
    expect(err.problems[0]!.message).toContain('"remote:" and an absolute path')
  })

  it('containerPlan binds the remote folder but keeps the local workspace as the identity label', () => {
    const spec = containerPlan({ resolved: loadResolved('with-mirrors'), name: 'envctl-x', env: 'x', image: 'img', hash: 'h', workspace: '/home/me/p', workspaceSource: '/srv/me/p', uid: 1000, gid: 1000, gpus: null })
    expect(spec.mounts).toContainEqual({ type: 'bind', source: '/srv/me/p', target: '/workspace' })
    expect(spec.labels?.['dev.envctl.workspace']).toBe('/home/me/p')
  })
})
