import { describe, expect, it } from 'vitest'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import {
  checkAptPackage,
  checkEnvKey,
  checkHost,
  checkImage,
  checkMavenCoord,
  checkNpmSpec,
  checkPipRequirement,
  checkUrl,
} from '../../../src/render/validate.js'
import type { PipRequirement } from '../../../src/resolvers/types.js'

const pip = (name: string, requirement: string): PipRequirement => ({ name, requirement, version: '*', reason: 'stack' })

describe('checkPipRequirement', () => {
  it.each([
    ['numpy', 'numpy'],
    ['numpy', 'numpy>=1.26,<2'],
    ['torch', 'torch==2.3.1+cu121'],
    ['tensorflow', 'tensorflow[and-cuda]==2.21.0'],
    ['Jupyter_Lab', 'jupyter-lab~=4.6'],
    ['mxnet-cu90', 'mxnet-cu90==1.4.1'],
    ['numpy', 'numpy==1.*'],
  ])('accepts %s as %j', (name, requirement) => {
    expect(checkPipRequirement(pip(name, requirement))).toBe(requirement)
  })

  it.each([
    ['numpy', 'numpy @ https://evil/$(id).whl'],
    ['numpy', 'numpy; python_version<"3.8" | id'],
    ['numpy', 'numpy==1 --index-url http://evil'],
    ['numpy', '-r requirements.txt'],
    ['numpy', 'scipy==1.0'],
    ['numpy', "numpy'"],
    ['num py', 'numpy'],
  ])('refuses %s as %j', (name, requirement) => {
    expect(() => checkPipRequirement(pip(name, requirement))).toThrow(EnvctlError)
  })
})

describe('package names', () => {
  it.each(['git', 'libgl1', 'g++', 'libc6:i386', 'python3=3.11.2-1+b1', 'tzdata=2024a-0+deb12u1', 'foo=1:2.3~rc1', 'bar=1.0_beta'])(
    'accepts apt %j',
    (v) => expect(checkAptPackage(v)).toBe(v),
  )
  it.each(['Git', '-o', 'git;id', 'a', 'git=', 'git curl', '../x'])('refuses apt %j', (v) => {
    expect(() => checkAptPackage(v)).toThrow(EnvctlError)
  })

  it.each(['express', 'express@5.1.0', '@scope/pkg@^1.2.3', 'typescript@next', 'x@>=1.0.0 <2.0.0', 'y@1.x || 2.x'])(
    'accepts npm %j',
    (v) => expect(checkNpmSpec(v)).toBe(v),
  )
  it.each(['Express', 'git+https://x/y.git', 'file:../x', 'x@1  2', 'x@$(id)', '--global', '-x', 'x@ 1'])('refuses npm %j', (v) => {
    expect(() => checkNpmSpec(v)).toThrow(EnvctlError)
  })

  it.each(['com.google.guava:guava:33.4.8-jre', 'g:a:1.0:jar', 'g:a:1.0:jar:sources', 'g:a:1.0+build.5'])('accepts maven %j', (v) =>
    expect(checkMavenCoord(v)).toBe(v),
  )
  it.each(['g:a', 'g:a:1:b:c:d', 'g:a:$(id)', 'g a:1'])('refuses maven %j', (v) => {
    expect(() => checkMavenCoord(v)).toThrow(EnvctlError)
  })

  it.each(['A', '_x', 'HF_HOME', 'npm_config_cache'])('accepts env name %j', (v) => expect(checkEnvKey(v)).toBe(v))
  it.each(['1A', 'A-B', 'A B', 'A=B', ''])('refuses env name %j', (v) => {
    expect(() => checkEnvKey(v)).toThrow(EnvctlError)
  })
})

describe('URLs and hosts', () => {
  it.each(['https://download.pytorch.org/whl/cu121', 'http://127.0.0.1:8081/simple', 'file:///wheels/', 'http://m/?a=1&b=2'])(
    'accepts %j',
    (v) => expect(checkUrl(v, 'url')).toBe(v),
  )
  it.each(['ftp://x/', 'javascript:alert(1)', 'http://x/ y', "http://x/'", 'http://x/"', 'http://x/$(id)', 'http://x/`id`', 'http://x|y', 'not a url', '/local/path'])(
    'refuses %j',
    (v) => expect(() => checkUrl(v, 'url')).toThrow(EnvctlError),
  )
  it.each(['127.0.0.1', 'pypi.mirror.example:8443'])('accepts host %j', (v) => expect(checkHost(v)).toBe(v))
  it.each(['http://x', 'x y', 'x;id', '-x'])('refuses host %j', (v) => expect(() => checkHost(v)).toThrow(EnvctlError))
})

describe('checkImage', () => {
  const digest = `sha256:${'0'.repeat(64)}`
  it.each([
    'python:3.11-slim-bookworm',
    'nvidia/cuda:9.0-cudnn7-runtime-ubuntu16.04',
    'localhost:5000/er/py',
    'registry.example.com:443/team/img_name:1.0',
    `python@${digest}`,
  ])('accepts %j', (v) => expect(checkImage(v, undefined)).toBe(v))

  it('appends a pinned digest', () => {
    expect(checkImage('python:3.11', digest)).toBe(`python:3.11@${digest}`)
  })

  it.each([
    ['Python:3.11', undefined],
    ['python:3.11 AS x', undefined],
    ['${BASE}', undefined],
    ['python:3.11', 'sha256:abc'],
    [`python@${digest}`, digest],
    ['--platform=linux/amd64 python', undefined],
  ])('refuses %j with digest %j', (image, d) => {
    expect(() => checkImage(image, d)).toThrow(EnvctlError)
  })
})

describe('checkPipRequirement accepts what the stack validator accepts', () => {
  it.each([
    ['numpy', 'numpy >= 1.26, < 2'],
    ['numpy', 'numpy (>=1.26)'],
    ['requests', 'requests[security] ; python_version < "3.12"'],
    ['pywin32', "pywin32>=306; sys_platform == 'win32'"],
    ['mypkg', 'mypkg @ git+https://github.com/org/mypkg@v1.0'],
    ['torch', 'torch @ https://download.pytorch.org/whl/cpu/torch-2.3.1%2Bcpu-cp311-cp311-linux_x86_64.whl'],
  ])('%s: %j', (name, requirement) => {
    expect(checkPipRequirement(pip(name, requirement))).toBe(requirement)
  })

  it.each([
    'numpy; python_version < "$(id)"',
    'numpy; python_version < "3" && id',
    'numpy @ https://x/`id`.whl',
    'numpy @ https://x/a b.whl',
  ])('but refuses shell syntax: %j', (requirement) => {
    expect(() => checkPipRequirement(pip('numpy', requirement))).toThrow(EnvctlError)
  })
})
