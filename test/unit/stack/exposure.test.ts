import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadStack } from '../../../src/stack/load.js'
import { loadUserConfig } from '../../../src/config/user-config.js'
import { checkExposure, type ExposureContext } from '../../../src/stack/exposure.js'
import { exposureContext } from '../../../src/environment/exposure-context.js'
import { defaultBuiltinDir } from '../../../src/stack/stack-ref.js'
import { renderError } from '../../../src/errors/envctl-error.js'
import { caught, stackDir } from './helpers.js'

const WIDE = 'extends = "pytorch"\n[run]\nbind = "0.0.0.0"\n[network]\nbuild_network = "host"\n'

function ctx(cwd: string, over: Partial<ExposureContext> = {}): ExposureContext {
  return { cwd, builtinDir: defaultBuiltinDir(), trusted: [], allow: false, buildOnly: false, ...over }
}

describe('a stack from elsewhere cannot silently widen exposure', () => {
  const dir = stackDir({ 'shared/wide.toml': WIDE, 'project/envctl.toml': 'extends = "../shared/wide.toml"\n', 'own/envctl.toml': WIDE })
  const project = join(dir, 'project')

  it('refuses run.bind and build_network = "host" set by a file outside the project, naming file:line:column and both confirmations', () => {
    const spec = loadStack(project, { cwd: project })
    const err = caught(() => checkExposure(spec, ctx(project)))
    expect(err.code).toBe('EXPOSURE_UNCONFIRMED')
    expect(err.exitCode).toBe(20)
    const text = renderError(err)
    expect(text).toContain(`${join(dir, 'shared/wide.toml')}:3:1: run.bind = "0.0.0.0" publishes the environment's ports beyond 127.0.0.1`)
    expect(text).toContain(`${join(dir, 'shared/wide.toml')}:5:1: network.build_network = "host"`)
    expect(err.hint).toContain('--allow-exposure')
    expect(err.hint).toContain(`[trust] exposure = ["${join(dir, 'shared')}"]`)
  })

  it('is confirmed by the flag, or by [trust] exposure naming the folder', () => {
    const spec = loadStack(project, { cwd: project })
    expect(() => checkExposure(spec, ctx(project, { allow: true }))).not.toThrow()
    expect(() => checkExposure(spec, ctx(project, { trusted: [join(dir, 'shared')] }))).not.toThrow()
    expect(() => checkExposure(spec, ctx(project, { trusted: [join(dir, 'other')] }))).toThrow(/widens/)
  })

  it('build only: run.bind does not apply, build_network still does', () => {
    const spec = loadStack(project, { cwd: project })
    const err = caught(() => checkExposure(spec, ctx(project, { buildOnly: true })))
    expect(err.problems.map((p) => p.location?.keyPath)).toEqual(['network.build_network'])
  })

  it("trusts the project's own file, the user config and the built-in stacks", () => {
    const own = join(dir, 'own')
    expect(() => checkExposure(loadStack(own, { cwd: own }), ctx(own))).not.toThrow()
    const cfg = stackDir({ 'config.toml': '[network]\nbuild_network = "host"\n' })
    const userConfig = loadUserConfig(join(cfg, 'config.toml'))
    const viaUser = loadStack(project, { cwd: project, userConfig })
    expect(viaUser.provenance['network.build_network']?.file).toBe(join(dir, 'shared/wide.toml'))
    const onlyUser = loadStack('pytorch', { cwd: project, userConfig })
    expect(() => checkExposure(onlyUser, ctx(project))).not.toThrow()
  })

  it('a git source is untrusted until [trust] exposure names a prefix of it', () => {
    const spec = loadStack(join(dir, 'own'), { cwd: join(dir, 'own') })
    const git = 'git+https://git.example/acme/stacks.git#main:wide.toml'
    spec.provenance['run.bind'] = { file: git, line: 3, column: 1, keyPath: 'run.bind' }
    spec.provenance['network.build_network'] = { file: git, line: 5, column: 1, keyPath: 'network.build_network' }
    const err = caught(() => checkExposure(spec, ctx(join(dir, 'own'))))
    expect(renderError(err)).toContain(`${git}:3:1: run.bind = "0.0.0.0"`)
    expect(renderError(err)).toContain('comes from a git source')
    expect(err.hint).toContain('[trust] exposure = ["git+https://git.example/acme/stacks.git"]')
    expect(() => checkExposure(spec, ctx(join(dir, 'own'), { trusted: ['git+https://git.example/acme/'] }))).not.toThrow()
  })

  it('127.0.0.1 and ::1 widen nothing', () => {
    const loop = stackDir({ 'shared/s.toml': 'extends = "pytorch"\n[run]\nbind = "::1"\n', 'p/envctl.toml': 'extends = "../shared/s.toml"\n' })
    expect(() => checkExposure(loadStack(join(loop, 'p'), { cwd: join(loop, 'p') }), ctx(join(loop, 'p')))).not.toThrow()
  })

  it('[trust] exposure is read from the user config', () => {
    const cfg = stackDir({ 'config.toml': '[trust]\nexposure = ["git+https://git.example/acme", "~/shared"]\n' })
    const user = loadUserConfig(join(cfg, 'config.toml'), '/home/ada')
    expect(exposureContext({ cwd: '/p', allowExposure: false }, user).trusted).toEqual(['git+https://git.example/acme', '/home/ada/shared'])
  })
})
