import { describe, expect, it } from 'vitest'
import { envctl, project } from '../support/cli-sync.js'

describe('envctl stacks', () => {
  it('--json lists the built-ins and no project outside one', () => {
    const r = envctl(['stacks', '--json'], project())
    expect(r.code).toBe(0)
    const result = JSON.parse(r.stdout)
    expect(result.project).toBeNull()
    expect(result.builtin.map((s: { name: string }) => s.name)).toEqual(['java', 'node', 'pytorch', 'tensorflow-gpu'])
    expect(result.builtin[2]).toEqual({
      name: 'pytorch',
      description: expect.stringContaining('PyTorch'),
      runtime: { name: 'python', version: '3.11' },
      frameworks: { pytorch: '>=2.0' },
      gpu: 'auto',
    })
  })

  it('shows the project stack and what it extends', () => {
    const r = envctl(['stacks', '--json'], project('extends = "pytorch"\nname = "vision-lab"\n[frameworks]\npytorch = "~2.3"\n'))
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout).project).toEqual({
      name: 'vision-lab', description: expect.any(String), runtime: { name: 'python', version: '3.11' },
      frameworks: { pytorch: '~2.3' }, gpu: 'auto', file: 'envctl.toml', extends: 'pytorch',
    })
  })

  it('prints a table for people', () => {
    const r = envctl(['stacks'], project())
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^NAME +RUNTIME +FRAMEWORKS +DESCRIPTION$/m)
    expect(r.stdout).toMatch(/^pytorch +python 3\.11 +pytorch >=2\.0 +PyTorch/m)
    expect(r.stdout).toContain('envctl init pytorch')
  })

  it('an invalid project stack exits 2 with located problems and no stack trace', () => {
    const r = envctl(['stacks'], project('extends = "pytorch"\n\n[gpu]\nmoode = "auto"\n[packages]\npip = ["numpy; rm -rf /"]\n'))
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error[INVALID_STACK]')
    expect(r.stderr).toContain('envctl.toml:4:1: unknown key `moode`; did you mean `mode`? (gpu.moode)')
    expect(r.stderr).toContain('envctl.toml:6:8: pip requirement "numpy; rm -rf /"')
    expect(r.stderr).not.toMatch(/^ {4}at /m)
  })

  it('--json reports the problems as data', () => {
    const r = envctl(['stacks', '--json'], project('[notebook]\nport = 0\n'))
    expect(r.code).toBe(2)
    expect(JSON.parse(r.stdout).error).toMatchObject({
      code: 'INVALID_STACK', exitCode: 2,
      problems: [{ message: 'must be between 1 and 65535; got 0', file: 'envctl.toml', line: 2, column: 1, keyPath: 'notebook.port' }],
    })
    expect(r.stderr).not.toMatch(/^ {4}at /m)
  })
})
