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
    expect(workspaceMount({ workspace: '/home/me/p', engine: local })).toEqual({ source: '/home/me/p' })
  })

  it('mounts the remote folder the stack names, and says so in one line with where it was set', () => {
    const m = workspaceMount({ workspace: '/home/me/p', setting: 'remote:/srv/me/p', at: { file: 'envctl.toml', line: 3 }, engine: remote })
    expect(m).toEqual({ source: '/srv/me/p', note: 'workspace: /srv/me/p on the engine\'s host (tcp://10.0.0.5:2376), from workspace = "remote:/srv/me/p" (envctl.toml:3)' })
  })

  it('refuses a remote engine without workspace = "remote:…", naming the engine, the folder and the fix', () => {
    const err = caught(() => workspaceMount({ workspace: '/home/me/p', engine: remote }))
    expect(err.code).toBe('USAGE')
    expect(err.message).toBe('the engine at tcp://10.0.0.5:2376 is on another machine, so it cannot mount this folder (/home/me/p) as /workspace')
    expect(err.hint).toContain('workspace = "remote:/srv/<you>/<project>"')
  })
})

describe('workspace in the stack file', () => {
  it('is read with where it was set, and becomes the bind source of /workspace', () => {
    const dir = stackDir({ 'envctl.toml': 'extends = "pytorch"\nworkspace = "remote:/srv/me/p"\n' })
    const spec = loadStack('./envctl.toml', { cwd: dir })
    expect(spec.workspace).toBe('remote:/srv/me/p')
    expect(spec.provenance.workspace).toMatchObject({ line: 2 })
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
