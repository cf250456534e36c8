import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { renderDockerfile } from '../../../src/render/render-dockerfile.js'
import { renderContextFiles } from '../../../src/render/context-files.js'
import { buildSecretFiles, hasBuildSecrets } from '../../../src/render/secrets.js'
import { specHash } from '../../../src/environment/naming.js'
import { containerPlan } from '../../../src/environment/container/container-plan.js'
import { credentialFiles } from '../../../src/environment/container/credential-files.js'
import { proxyVariables } from '../../../src/environment/container/proxy.js'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import { loadResolved } from './fixtures.js'

const FIXTURES = new URL('../../fixtures/render/', import.meta.url)
const CREDENTIAL = /S3CRET|:\/\/[^/\s'"]*:[^/\s'"*]+@/

describe('credentials never reach the Dockerfile', () => {
  const goldens = readdirSync(FIXTURES).map((name) => [name, readFileSync(new URL(`${name}/expected.Dockerfile`, FIXTURES), 'utf8')] as const)

  it.each(goldens)('golden %s holds no credential', (_, text) => {
    expect(text).not.toMatch(CREDENTIAL)
  })

  it('the fixtures with credentials do carry them (so the check above can fail)', () => {
    expect(JSON.stringify(loadResolved('with-credentials'))).toMatch(CREDENTIAL)
    expect(JSON.stringify(loadResolved('java-maven-credentials'))).toMatch(CREDENTIAL)
  })

  it('every download step mounts the secrets folder and loads env.sh; no other step does', () => {
    const text = renderDockerfile(loadResolved('with-credentials'))
    const runs = text.split('\n\n').filter((b) => b.includes('RUN '))
    const downloads = runs.filter((b) => /apt-get .*update|pip install|npm install/.test(b))
    expect(downloads).toHaveLength(3)
    for (const b of downloads) expect(b).toContain('--mount=type=bind,source=envctl-secrets,target=/run/envctl/secrets')
    for (const b of runs.filter((b) => !downloads.includes(b))) expect(b).not.toContain('envctl-secrets')
  })
})

describe('the secrets folder', () => {
  const r = loadResolved('with-credentials')
  const files = buildSecretFiles(r)

  it('holds each credential, in the form its tool reads', () => {
    expect(Object.keys(files).sort()).toEqual(['envctl-secrets/apt-auth.conf', 'envctl-secrets/env.sh', 'envctl-secrets/npmrc'])
    const env = files['envctl-secrets/env.sh']!
    expect(env).toContain("export PIP_INDEX_URL='http://ci:S3CRET-pip@127.0.0.1:8081/simple'")
    expect(env).toContain("export PIP_EXTRA_INDEX_URL='https://pkgs.example/simple?token=S3CRET-query'")
    expect(env).toContain("export HTTPS_PROXY='http://proxy:S3CRET-proxy@proxy.example:3128'")
    expect(env).toContain("export http_proxy='http://proxy:S3CRET-proxy@proxy.example:3128'")
    expect(env).not.toContain('PIP_FIND_LINKS')
    expect(files['envctl-secrets/npmrc']).toBe(`registry=https://npm.mirror.example/\n//npm.mirror.example/:_auth=${Buffer.from('npm:S3CRET-npm').toString('base64')}\n`)
    expect(files['envctl-secrets/apt-auth.conf']).toBe('machine apt.mirror.example login deb password S3CRET-apt\n')
    expect(buildSecretFiles(loadResolved('java-maven-credentials'))['envctl-secrets/maven-settings.xml']).toContain('<username>mvn</username><password>S3CRET-maven</password>')
  })

  it('is empty, and mounted nowhere, without credentials', () => {
    const plain = loadResolved('with-mirrors')
    expect(hasBuildSecrets(plain)).toBe(false)
    expect(buildSecretFiles(plain)).toEqual({})
  })

  it('is not part of the content hash: a rotated password keeps the image', () => {
    const rotated = JSON.parse(JSON.stringify(r).replaceAll('S3CRET', 'ROTATED'))
    const hash = (x: typeof r) => specHash(renderDockerfile(x), Object.fromEntries(Object.entries(renderContextFiles(x)).map(([k, v]) => [k, Buffer.from(v)])))
    expect(renderDockerfile(rotated)).toBe(renderDockerfile(r))
    expect(hash(rotated)).toBe(hash(r))
    expect(buildSecretFiles(rotated)).not.toEqual(files)
  })

  it('refuses a token in the query of an npm, Maven or apt URL: their tools take user:password only', () => {
    const r2 = loadResolved('with-mirrors')
    r2.mirrors.npm = 'https://npm.example/?token=abc'
    const err = (() => { try { buildSecretFiles(r2) } catch (e) { return e } })() as EnvctlError
    expect(err).toBeInstanceOf(EnvctlError)
    expect(err.message).toContain('mirrors.npm = https://npm.example/?token=***')
    expect(err.message).not.toContain('abc')
  })
})

describe('the running environment', () => {
  const r = loadResolved('with-credentials')
  const spec = containerPlan({ resolved: r, name: 'envctl-x', env: 'x', image: 'img', hash: 'h', workspace: '/w', uid: 1000, gid: 1000, gpus: null })

  it('gets no credential in its configuration (Config.Env); credential-free settings stay', () => {
    expect(JSON.stringify(spec.env)).not.toMatch(/S3CRET/)
    expect(spec.env).toMatchObject({ PIP_FIND_LINKS: 'https://wheels.example/flat/', PIP_TRUSTED_HOST: '127.0.0.1:8081', NO_PROXY: 'localhost,127.0.0.1' })
    expect(spec.env).not.toHaveProperty('PIP_INDEX_URL')
    expect(spec.env).not.toHaveProperty('HTTP_PROXY')
    expect(spec.env).not.toHaveProperty('npm_config_registry')
  })

  it('gets them in 0600 files of the user: pip.conf, .npmrc and the env file exec and shell load', () => {
    const files = credentialFiles(r, 1000, 1001)
    expect(files.map((f) => [f.path, f.mode, f.uid, f.gid])).toEqual([
      ['.config/pip/pip.conf', 0o600, 1000, 1001],
      ['.npmrc', 0o600, 1000, 1001],
      ['.config/envctl/env', 0o600, 1000, 1001],
    ])
    expect(files[0]!.content).toBe('[global]\nindex-url = http://ci:S3CRET-pip@127.0.0.1:8081/simple\nextra-index-url = https://pkgs.example/simple?token=S3CRET-query\n')
    expect(files[2]!.content).toContain(`[ -n "\${HTTP_PROXY+x}" ] || export HTTP_PROXY='http://proxy:S3CRET-proxy@proxy.example:3128'`)
  })

  it('has no files when nothing carries a credential', () => {
    expect(credentialFiles(loadResolved('with-mirrors'), 1000, 1000)).toEqual([])
  })

  it('build arguments carry only credential-free proxies', () => {
    expect(proxyVariables(r.network)).toEqual({ NO_PROXY: 'localhost,127.0.0.1', no_proxy: 'localhost,127.0.0.1' })
    expect(proxyVariables({ httpProxy: 'http://proxy.example:3128' })).toEqual({ HTTP_PROXY: 'http://proxy.example:3128', http_proxy: 'http://proxy.example:3128' })
  })
})
