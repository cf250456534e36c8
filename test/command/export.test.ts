import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { envctl, project } from '../support/cli-sync.js'

describe('envctl export', () => {
  it('--json returns the export, the image to build and where it was written', () => {
    const dir = project()
    const r = envctl(['export', 'k8s', 'pytorch', '--cpu', '--notebook', '-o', 'k8s/env.yaml', '--json'], dir)
    expect(r.code, r.stderr).toBe(0)
    const v = r.json as { kind: string; image: string; content: string; path: string; warnings: string[] }
    expect(v).toMatchObject({ kind: 'k8s', path: 'k8s/env.yaml', image: expect.stringMatching(/^envctl\/pytorch:[0-9a-f]{16}$/) })
    expect(readFileSync(join(dir, 'k8s/env.yaml'), 'utf8')).toBe(v.content)
    expect(v.warnings.join('\n')).toMatch(/cannot pull: push the image/)
  })

  it('prints to stdout without -o', () => {
    const r = envctl(['export', 'compose', 'node'], project())
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/^services:\n {2}envctl-cmd-[^:]+-node:\n {4}image: "envctl\/node:[0-9a-f]{16}"/)
  })

  it('an unknown kind is a usage error naming the kinds', () => {
    const r = envctl(['export', 'helm', '--json'], project())
    expect(r.code).toBe(3)
    expect((r.json as { error: { code: string; message: string } }).error).toMatchObject({ code: 'USAGE', message: expect.stringMatching(/compose, devcontainer, k8s/) })
  })

  const withService = 'name = "shop"\nextends = "node"\n[node]\nversion = "20"\n[gpu]\nmode = "none"\n[services.db]\nimage = "mysql:8.4"\n'

  it('devcontainer with services: -o writes devcontainer.json and the Compose file beside it; --json lists both', () => {
    const dir = project(withService)
    const r = envctl(['export', 'devcontainer', '-o', '.devcontainer/devcontainer.json', '--json'], dir)
    expect(r.code, r.stderr).toBe(0)
    const v = r.json as { companions: Array<{ path: string; content: string }> }
    expect(v.companions.map((c) => c.path)).toEqual(['.devcontainer/compose.yaml'])
    // The file as written; stdout and --json mask a password in a URL, as every envctl output does.
    const file = readFileSync(join(dir, '.devcontainer/compose.yaml'), 'utf8')
    expect(file).toContain('DATABASE_URL: "mysql://root:envctl@db:3306/app"')
    expect(v.companions[0]!.content).toBe(file.replace('root:envctl@', 'root:***@'))
    expect(JSON.parse(readFileSync(join(dir, '.devcontainer/devcontainer.json'), 'utf8'))).toMatchObject({ dockerComposeFile: 'compose.yaml', service: 'shop' })
  })

  it('devcontainer with services to stdout is a usage error: two files need -o', () => {
    const r = envctl(['export', 'devcontainer'], project(withService))
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/2 files: give -o \.devcontainer\/devcontainer\.json/)
  })

  it('--registry and --image are k8s flags, exclusive, and --registry must name a registry host', () => {
    const dir = project(withService)
    expect(envctl(['export', 'compose', '--image', 'r.example/x@sha256:' + 'a'.repeat(64)], dir)).toMatchObject({ code: 3, stderr: expect.stringMatching(/apply to the k8s export only, not compose/) })
    expect(envctl(['export', 'k8s', '--image', 'r.example/x', '--registry', 'r.example/team'], dir).code).toBe(3)
    const bad = envctl(['export', 'k8s', '--registry', 'team/sub', '--json'], dir)
    expect(bad.code).toBe(3)
    expect((bad.json as { error: { message: string } }).error.message).toMatch(/--registry team\/sub is not HOST\[:PORT\]\/PREFIX/)
  })

  it('a notebook for a stack without Python is refused before anything is written', () => {
    const r = envctl(['export', 'k8s', 'node', '--notebook', '-o', 'k8s.yaml'], project())
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/JupyterLab needs Python/)
  })
})

describe('envctl dockerfile -o', () => {
  const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n'

  it('writes the CA bundle the Dockerfile mounts beside it, into a folder it creates', () => {
    const dir = project('name = "ca"\n[node]\nversion = "20"\n[gpu]\nmode = "none"\n[packages]\nnpm = ["left-pad"]\n[network]\nca_bundle = "ca.pem"\n')
    writeFileSync(join(dir, 'ca.pem'), PEM)
    const r = envctl(['dockerfile', '-o', 'out/Dockerfile', '--json'], dir)
    expect(r.code, r.stderr).toBe(0)
    expect(readFileSync(join(dir, 'out/Dockerfile'), 'utf8')).toContain('source=envctl-ca.pem')
    expect(readFileSync(join(dir, 'out/envctl-ca.pem'), 'utf8')).toBe(PEM)
    expect(Object.keys((r.json as { contextFiles: Record<string, string> }).contextFiles)).toContain('envctl-ca.pem')
  })
})
