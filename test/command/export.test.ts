import { readFileSync, statSync, writeFileSync } from 'node:fs'
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
    // The file names the password; its value is only in .devcontainer/.env (0600), which --json names.
    const file = readFileSync(join(dir, '.devcontainer/compose.yaml'), 'utf8')
    expect(file).toMatch(/DATABASE_URL: "mysql:\/\/root:\$\{DB_MYSQL_ROOT_PASSWORD:\?[^"}]+\}@db:3306\/app"/)
    expect(v.companions[0]!.content).toBe(file)
    const secrets = (r.json as { secrets: { variables: string[]; file: string; entries: Array<{ variable: string; source: string }> } }).secrets
    expect(secrets).toEqual({ variables: ['DB_MYSQL_ROOT_PASSWORD'], file: '.devcontainer/.env', entries: [{ variable: 'DB_MYSQL_ROOT_PASSWORD', service: 'db', source: 'generated' }], secret: null, command: null })
    const value = /^DB_MYSQL_ROOT_PASSWORD=(.+)$/m.exec(readFileSync(join(dir, '.devcontainer/.env'), 'utf8'))![1]!
    expect(r.stdout + r.stderr).not.toContain(value)
    expect(file).not.toContain(value)
    expect(JSON.parse(readFileSync(join(dir, '.devcontainer/devcontainer.json'), 'utf8'))).toMatchObject({ dockerComposeFile: 'compose.yaml', service: 'shop' })
  })

  it('with a service to stdout: only the file on stdout, its references unmasked; stderr says how to give the passwords', () => {
    const dir = project(withService)
    const compose = envctl(['export', 'compose'], dir)
    expect(compose.code, compose.stderr).toBe(0)
    expect(compose.stdout).toMatch(/^services:\n/)
    expect(compose.stdout).toMatch(/MYSQL_ROOT_PASSWORD: "\$\{DB_MYSQL_ROOT_PASSWORD:\?/)
    expect(compose.stderr).toMatch(/reads DB_MYSQL_ROOT_PASSWORD from a \.env file beside it/)
    const k8s = envctl(['export', 'k8s'], dir)
    expect(k8s.stdout).toContain('value: "mysql://root:$(DB_MYSQL_ROOT_PASSWORD)@db:3306/app"')
    expect(k8s.stderr).toMatch(/from the Secret shop-secrets/)
  })

  it('k8s -o --json: the env file beside the manifests (0600) and the kubectl command that makes the Secret', () => {
    const dir = project(withService)
    const r = envctl(['export', 'k8s', '-o', 'deploy/k8s.yaml', '--json'], dir)
    expect(r.code, r.stderr).toBe(0)
    expect((r.json as { secrets: unknown }).secrets).toMatchObject({ variables: ['DB_MYSQL_ROOT_PASSWORD'], file: 'deploy/shop-secrets.env', secret: 'shop-secrets', command: 'kubectl create secret generic shop-secrets --from-env-file=deploy/shop-secrets.env' })
    expect(statSync(join(dir, 'deploy/shop-secrets.env')).mode & 0o777).toBe(0o600)
    const value = readFileSync(join(dir, 'deploy/shop-secrets.env'), 'utf8')
    // Again, without --json: the value is kept, and stderr says so and gives the command.
    const again = envctl(['export', 'k8s', '-o', 'deploy/k8s.yaml'], dir)
    expect(again.stderr).toMatch(/deploy\/shop-secrets\.env \(0600\): DB_MYSQL_ROOT_PASSWORD: values already there, kept/)
    expect(again.stderr).toContain('kubectl create secret generic shop-secrets --from-env-file=deploy/shop-secrets.env')
    expect(readFileSync(join(dir, 'deploy/shop-secrets.env'), 'utf8')).toBe(value)
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
