import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { envctl } from '../support/cli-sync.js'

const emptyDir = () => mkdtempSync(join(tmpdir(), 'envctl-init-'))

describe('envctl init', () => {
  it('writes envctl.toml extending pytorch by default, which then loads', () => {
    const dir = emptyDir()
    const r = envctl(['init', '--json'], dir)
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({ file: 'envctl.toml', extends: 'pytorch', name: expect.stringMatching(/^envctl-init-[a-z0-9]+$/), overwritten: false })
    expect(readFileSync(join(dir, 'envctl.toml'), 'utf8')).toMatch(/^extends = "pytorch"$/m)
    const stacks = envctl(['stacks', '--json'], dir)
    expect(stacks.code).toBe(0)
    expect(JSON.parse(stacks.stdout).project).toMatchObject({ extends: 'pytorch', frameworks: { pytorch: '>=2.0' } })
  })

  it('refuses to replace an existing file without --force', () => {
    const dir = emptyDir()
    writeFileSync(join(dir, 'envctl.toml'), 'extends = "java"\n')
    const r = envctl(['init', 'node'], dir)
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('pass --force')
    expect(readFileSync(join(dir, 'envctl.toml'), 'utf8')).toBe('extends = "java"\n')
  })

  it('--force replaces it, --name names it', () => {
    const dir = emptyDir()
    writeFileSync(join(dir, 'envctl.toml'), 'extends = "java"\n')
    const r = envctl(['init', 'node', '--force', '--name', 'api', '--json'], dir)
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({ file: 'envctl.toml', extends: 'node', name: 'api', overwritten: true })
    expect(readFileSync(join(dir, 'envctl.toml'), 'utf8')).toMatch(/^extends = "node"\nname = "api"$/m)
  })

  it('extends a stack file by relative path', () => {
    const dir = emptyDir()
    writeFileSync(join(dir, 'team.toml'), 'extends = "pytorch"\n[packages]\npip = ["scipy"]\n')
    const r = envctl(['init', 'team.toml', '--json'], dir)
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).extends).toBe('./team.toml')
  })

  it('an unknown stack suggests the closest and writes nothing', () => {
    const dir = emptyDir()
    const r = envctl(['init', 'pytroch'], dir)
    expect(r.code).toBe(16)
    expect(r.stderr).toContain('did you mean `pytorch`?')
    expect(r.stderr).not.toMatch(/^ {4}at /m)
    expect(existsSync(join(dir, 'envctl.toml'))).toBe(false)
  })

  it('an invalid --name is a usage error', () => {
    const dir = emptyDir()
    const r = envctl(['init', '--name', 'My Env'], dir)
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('--name: name "My Env" is not lowercase letters')
    expect(existsSync(join(dir, 'envctl.toml'))).toBe(false)
  })
})
