import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { readEngineSetting } from '../../../src/config/engine-setting.js'
import { loadStack } from '../../../src/stack/load.js'
import { caught, renderError, stackDir } from '../stack/helpers.js'

const read = (text: string) => {
  const dir = stackDir({ 'envctl.toml': text })
  return () => readEngineSetting(join(dir, 'envctl.toml'), 'envctl.toml', 'project')
}

describe('[engine] in a stack file or the user config', () => {
  it('names a host or a context, with where it is written', () => {
    expect(read('extends = "node"\n\n[engine]\nhost = "ssh://me@gpu-box"\n')()).toEqual({ host: 'ssh://me@gpu-box', where: 'engine.host in envctl.toml:4:1', kind: 'project' })
    expect(read('[engine]\ncontext = "gpu"\n')()).toEqual({ context: 'gpu', where: 'engine.context in envctl.toml:2:1', kind: 'project' })
  })

  it('is nothing without the file, the table, or a key in it', () => {
    expect(readEngineSetting('/nonexistent/envctl.toml', 'envctl.toml', 'user')).toBeUndefined()
    expect(read('extends = "node"\n')()).toBeUndefined()
    expect(read('[engine]\n')()).toBeUndefined()
  })

  it('reports every mistake at its file:line:column', () => {
    const err = caught(read('[engine]\nhost = "gpu-box"\ncontext = "a/b"\nport = 22\n'))
    expect(err.code).toBe('INVALID_STACK')
    const text = renderError(err)
    expect(text).toContain('envctl.toml:2:1: engine host "gpu-box" is not an address such as unix:///var/run/docker.sock, tcp://host:2376 or ssh://host (a user and port may go with ssh) (engine.host)')
    expect(text).toContain('envctl.toml:3:1: context "a/b" is not a Docker context name')
    expect(text).toContain('envctl.toml:4:1: unknown key `port`')
  })

  it('refuses host and context together', () => {
    const text = renderError(caught(read('[engine]\nhost = "ssh://gpu-box"\ncontext = "gpu"\n')))
    expect(text).toContain('envctl.toml:3:1: engine.host and engine.context both name an engine (engine.context)')
    expect(text).toContain('hint: keep one')
  })

  it('is a valid key of a stack file, and does not change what the stack builds', () => {
    const dir = stackDir({ 'a/envctl.toml': 'name = "same"\nextends = "node"\n', 'b/envctl.toml': 'name = "same"\nextends = "node"\n[engine]\nhost = "ssh://gpu-box"\n' })
    const a = loadStack(join(dir, 'a'), { cwd: dir })
    const b = loadStack(join(dir, 'b'), { cwd: dir })
    const built = (s: typeof a) => JSON.stringify({ ...s, origin: '', chain: [], dir: '', provenance: {} })
    expect(built(b)).toBe(built(a))
    expect(JSON.stringify(b)).not.toContain('gpu-box')
  })
})

describe('[engine] in a file that another extends', () => {
  it('is refused at its place, with where to put it instead', () => {
    const dir = stackDir({ 'team/base.toml': 'extends = "node"\n\n[engine]\nhost = "ssh://gpu-box"\n', 'p/envctl.toml': 'extends = "../team/base.toml"\n' })
    const text = renderError(caught(() => loadStack(join(dir, 'p'), { cwd: dir })))
    expect(text).toContain("team/base.toml:3:1: [engine] is read from the project's own stack file only, not from a file it extends (engine)")
    expect(text).toContain('hint: move [engine] to p/envctl.toml, or into your user config')
  })
})
