import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { envctlPaths, expandHome } from '../../../src/config/paths.js'
import { loadUserConfig, registryAuthSetting } from '../../../src/config/user-config.js'
import { loadStack } from '../../../src/stack/load.js'
import { configView } from '../../../src/settings/config-view.js'
import { caught, renderError, stackDir } from '../stack/helpers.js'

const HOME = '/home/ada'

describe('user config location', () => {
  it.each([
    [{}, '/home/ada/.config/envctl/config.toml', '/home/ada/.cache/envctl/git', '/home/ada/.docker'],
    [{ XDG_CONFIG_HOME: '/xdg/cfg', XDG_CACHE_HOME: '/xdg/cache', DOCKER_CONFIG: '/d' }, '/xdg/cfg/envctl/config.toml', '/xdg/cache/envctl/git', '/d'],
    // The XDG spec says relative values are invalid and must be ignored.
    [{ XDG_CONFIG_HOME: 'relative', XDG_CACHE_HOME: '' }, '/home/ada/.config/envctl/config.toml', '/home/ada/.cache/envctl/git', '/home/ada/.docker'],
  ])('%j', (env, config, cache, docker) => {
    expect(envctlPaths(env, HOME)).toEqual({ userConfig: config, gitCache: cache, dockerConfig: docker, home: HOME })
  })

  it('expands ~/ only', () => {
    expect([expandHome('~/ca.pem', HOME), expandHome('~x/ca.pem', HOME), expandHome('ca.pem', HOME)]).toEqual(['/home/ada/ca.pem', '~x/ca.pem', 'ca.pem'])
  })
})

describe('loadUserConfig', () => {
  it('is null when there is no file', () => {
    expect(loadUserConfig('/nonexistent/envctl/config.toml')).toBeNull()
  })

  it('validates with the stack schema\'s own tables and reports every problem at file:line:column', () => {
    const dir = stackDir({ 'config.toml': '[mirrors]\npip = "ftp://x/simple"\n[network]\nca_in_imag = true\n[gpu]\nmode = "sometimes"\ncuda = "12.1"\n[registry]\nauth = "docker config"\n[run]\nports = ["8000"]\n' })
    const err = caught(() => loadUserConfig(join(dir, 'config.toml')))
    expect(err.code).toBe('INVALID_STACK')
    const file = join(dir, 'config.toml')
    expect(renderError(err).split('\n').slice(0, 7)).toEqual([
      `error[INVALID_STACK]: user config ${file} has 5 problems`,
      `  ${file}:2:1: URL "ftp://x/simple" uses ftp://; expected http://, https://, file:// (mirrors.pip)`,
      `  ${file}:4:1: unknown key \`ca_in_imag\`; did you mean \`ca_in_image\`? (network.ca_in_imag)`,
      `  ${file}:6:1: must be one of "auto", "required", "none"; got "sometimes" (gpu.mode)`,
      `  ${file}:7:1: unknown key \`cuda\` (gpu.cuda)`,
      '    hint: keys allowed here: mode',
      `  ${file}:10:1: unknown key \`run\` (run)`,
    ])
  })

  it('makes ca_bundle absolute, relative to the config file or ~', () => {
    const dir = stackDir({ 'envctl/config.toml': '[network]\nca_bundle = "certs/corp.pem"\n', 'b/config.toml': '[network]\nca_bundle = "~/corp.pem"\n' })
    expect(loadUserConfig(join(dir, 'envctl/config.toml'))!.layer.table).toEqual({ network: { ca_bundle: join(dir, 'envctl/certs/corp.pem') } })
    expect(loadUserConfig(join(dir, 'b/config.toml'), HOME)!.layer.table).toEqual({ network: { ca_bundle: '/home/ada/corp.pem' } })
  })

  it('[registry] auth: docker-config by default, none, or another Docker config folder', () => {
    const dir = stackDir({ 'a.toml': '[registry]\nauth = "none"\n', 'b.toml': '[registry]\nauth = "../work-docker"\n', 'c.toml': '' })
    expect(registryAuthSetting(loadUserConfig(join(dir, 'a.toml')))).toEqual({ kind: 'none' })
    expect(registryAuthSetting(loadUserConfig(join(dir, 'b.toml')))).toEqual({ kind: 'docker-config', dir: join(dir, '../work-docker') })
    expect(registryAuthSetting(loadUserConfig(join(dir, 'c.toml')))).toEqual({ kind: 'docker-config' })
    expect(registryAuthSetting(null)).toEqual({ kind: 'docker-config' })
  })
})

describe('precedence: project files (and what they extend) > user config > defaults', () => {
  const dir = stackDir({
    'cfg/config.toml': '[mirrors]\npip = "https://personal.example/simple"\napt = "http://apt.personal.example"\npip_extra = ["https://extra.personal.example/simple"]\n[network]\nhttps_proxy = "http://proxy.personal.example:3128"\nca_bundle = "corp.pem"\n[gpu]\nmode = "none"\n',
    'team/base.toml': '[python]\nversion = "3.11"\n[mirrors]\napt = "http://apt.team.example"\n',
    'project/envctl.toml': 'extends = "../team/base.toml"\n[mirrors]\npip = "https://project.example/simple"\npip_extra = ["https://extra.project.example/simple"]\n',
  })
  const userConfig = loadUserConfig(join(dir, 'cfg/config.toml'))
  const spec = loadStack(join(dir, 'project'), { cwd: join(dir, 'project'), userConfig })

  it('a project value wins over the user config, in the top file or a base file', () => {
    expect(spec.mirrors.pip).toBe('https://project.example/simple')
    expect(spec.mirrors.apt).toBe('http://apt.team.example')
    expect(spec.provenance['mirrors.pip']).toMatchObject({ file: 'envctl.toml', line: 3 })
    expect(spec.provenance['mirrors.apt']).toMatchObject({ file: join(dir, 'team/base.toml'), line: 4 })
  })

  it('what the project leaves unset comes from the user config, with its file and line', () => {
    expect(spec.network.httpsProxy).toBe('http://proxy.personal.example:3128')
    expect(spec.network.caBundle).toBe(join(dir, 'cfg/corp.pem'))
    expect(spec.gpu.mode).toBe('none')
    expect(spec.provenance['gpu.mode']).toMatchObject({ file: join(dir, 'cfg/config.toml'), line: 9 })
    expect(spec.userConfig).toBe(join(dir, 'cfg/config.toml'))
    expect(spec.chain).toEqual([join(dir, 'team/base.toml'), join(dir, 'project/envctl.toml')])
  })

  it('lists merge as between stack files: the user config\'s entries first', () => {
    expect(spec.mirrors.pipExtra).toEqual(['https://extra.personal.example/simple', 'https://extra.project.example/simple'])
  })

  it('a built-in that sets a key wins over the user config (it is part of what the project extends)', () => {
    const py = loadStack('pytorch', { cwd: dir, userConfig })
    expect(py.gpu.mode).toBe('auto')
    expect(py.mirrors.pip).toBe('https://personal.example/simple')
  })

  it('a stack file\'s ca_bundle is relative to that file', () => {
    const d = stackDir({ 'team/base.toml': '[network]\nca_bundle = "certs/ca.pem"\n', 'p/envctl.toml': 'extends = "../team/base.toml"\n' })
    expect(loadStack(join(d, 'p'), { cwd: d }).network.caBundle).toBe(join(d, 'team/certs/ca.pem'))
  })

  it('envctl config: each value with its origin, what it hides, and flags on top', () => {
    const view = configView({ cwd: join(dir, 'project'), paths: { userConfig: join(dir, 'cfg/config.toml'), gitCache: '/c', dockerConfig: '/d', home: HOME }, flags: { cpu: true }, engine: { host: 'tcp://engine:2375', source: 'env DOCKER_HOST', kind: 'env' } })
    const s = Object.fromEntries(view.settings.map((x) => [x.key, x]))
    expect(s['mirrors.pip']).toMatchObject({ value: 'https://project.example/simple', origin: { kind: 'project', where: 'envctl.toml:3:1' }, shadows: [{ value: 'https://personal.example/simple', origin: { kind: 'user', where: `${join(dir, 'cfg/config.toml')}:2:1` } }] })
    expect(s['network.https_proxy']).toMatchObject({ origin: { kind: 'user', line: 6 } })
    expect(s['network.ca_in_image']).toMatchObject({ value: false, origin: { kind: 'default' } })
    expect(s['mirrors.npm']).toMatchObject({ value: null, origin: { kind: 'default' } })
    expect(s['gpu.mode']).toMatchObject({ value: 'none', origin: { kind: 'flag', where: 'flag --cpu' }, shadows: [{ value: 'none', origin: { kind: 'user' } }] })
    expect(s['registry.auth']).toMatchObject({ value: 'docker-config (/d)', origin: { kind: 'default' } })
    expect(s['engine.host']).toMatchObject({ value: 'tcp://engine:2375', origin: { kind: 'env', where: 'env DOCKER_HOST' } })
  })

  it('envctl config without a project shows the user config alone', () => {
    const view = configView({ cwd: dir, paths: { userConfig: join(dir, 'cfg/config.toml'), gitCache: '/c', dockerConfig: '/d', home: HOME }, flags: {}, engine: { host: undefined, source: 'default (the local socket)', kind: 'default' } })
    expect(view.files.project).toBeNull()
    expect(view.settings.find((x) => x.key === 'engine.host')).toMatchObject({ value: 'unix:///var/run/docker.sock', origin: { kind: 'default', where: 'default' } })
    expect(view.settings.find((x) => x.key === 'mirrors.pip')).toMatchObject({ value: 'https://personal.example/simple', origin: { kind: 'user' } })
    expect(view.settings.find((x) => x.key === 'mirrors.pip_extra')?.value).toEqual(['https://extra.personal.example/simple'])
  })

  it('envctl config names the Docker context that chose the engine', () => {
    const engine = { host: 'tcp://gpu:2376', source: 'context "gpu" (env DOCKER_CONTEXT)', kind: 'env' as const }
    const view = configView({ cwd: dir, paths: { userConfig: join(dir, 'cfg/config.toml'), gitCache: '/c', dockerConfig: '/d', home: HOME }, flags: {}, engine })
    expect(view.settings.find((x) => x.key === 'engine.host')).toMatchObject({ value: 'tcp://gpu:2376', origin: { kind: 'env', where: 'context "gpu" (env DOCKER_CONTEXT)' } })
  })
})
