import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { envctl, project } from '../support/cli-sync.js'

const legacy = `name = "legacy-2018"
[packages]
pip = ["tensorflow-gpu==1.12.0", "torch==0.4.1", "mxnet-cu90==1.4.1", "numpy==1.14.5"]
`

describe('envctl resolve', () => {
  it('--json has the documented keys, for a built-in on a CPU plan', () => {
    const r = envctl(['resolve', 'pytorch', '--cpu', '--json'], project())
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({
      stack: 'pytorch',
      python: '3.11',
      cuda: null,
      cudnn: null,
      gpu: false,
      base: { image: 'python:3.11-slim-bookworm' },
      packages: { pip: { torch: '2.14.1+cpu', torchvision: '0.29.1', numpy: '*' }, apt: {}, npm: {} },
      warnings: expect.any(Array),
    })
  })

  it('plans for another machine: an H100 with driver 580 gets the CUDA 13.0 build', () => {
    const r = envctl(['resolve', 'pytorch', '--gpu-arch', 'sm_90', '--driver', '580.159.04', '--json'], project())
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({ gpu: true, cuda: '13.0', packages: { pip: { torch: '2.14.1+cu130' } } })
  })

  it('the 2018 stack on a V100: CUDA 9.0, python 3.5 and the deleted cudnn7 image, said before any build', () => {
    const r = envctl(['resolve', '--gpu-arch', '7.0', '--driver', '410.48', '--json'], project(legacy))
    expect(r.code, r.stderr).toBe(0)
    const v = r.json as { cuda: string; python: string; base: { image: string }; warnings: string[] }
    expect([v.cuda, v.python, v.base.image]).toEqual(['9.0', '3.5', 'nvidia/cuda:9.0-cudnn7-runtime-ubuntu16.04'])
    expect(v.warnings.join('\n')).toMatch(/deleted from Docker Hub/)
  })

  it('the 2018 pins on top of the tensorflow-gpu built-in resolve as they do alone: the nearer pin wins', () => {
    const host = ['--gpu-arch', '7.0', '--driver', '410.48', '--json']
    const alone = envctl(['resolve', ...host], project(legacy))
    const layered = envctl(['resolve', ...host], project(`extends = "tensorflow-gpu"\n${legacy}`))
    expect(layered.code, layered.stderr).toBe(0)
    const { warnings: layeredWarnings, ...layeredView } = layered.json as { warnings: string[] }
    const { warnings: aloneWarnings, ...aloneView } = alone.json as { warnings: string[] }
    expect(layeredView).toEqual(aloneView)
    expect(layeredView).toMatchObject({ cuda: '9.0', python: '3.5', frameworks: { tensorflow: '1.12.0', pytorch: '0.4.1', mxnet: '1.4.1' } })
    const inherited = /^python\.version "3\.11" \(built-in tensorflow-gpu \(stacks\/tensorflow-gpu\.toml:9:1\)\) is inherited/
    expect(layeredWarnings.filter((w) => !inherited.test(w))).toEqual(aloneWarnings)
    expect(layeredWarnings.some((w) => inherited.test(w))).toBe(true)
  })

  it('--explain names the layer that won and the built-in value it overrode, by name and package-relative file', () => {
    const r = envctl(['resolve', '--cpu', '--explain'], project('extends = "pytorch"\n[packages]\npip = ["torch==1.13.1"]\n'))
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/why pytorch = 1\.13\.1 \(cpu\): newest release matching packages\.pip\[1\] "torch==1\.13\.1" \(envctl\.toml:3:8\).*; overrides frameworks\.pytorch ">=2\.0" \(built-in pytorch \(stacks\/pytorch\.toml:14:1\)\)/)
    expect(r.stdout).toMatch(/why python = 3\.10: python\.version "3\.11" \(built-in pytorch \(stacks\/pytorch\.toml:10:1\)\) is inherited/)
    expect(r.stdout).not.toMatch(/\/stacks\/pytorch\.toml/)
  })

  it('an old driver is refused with exit 5, the reason and what would work; no stack trace', () => {
    const r = envctl(['resolve', '--gpu-arch', 'sm_70', '--driver', '375.26'], project(legacy))
    expect(r.code).toBe(5)
    expect(r.stderr).toMatch(/CUDA 9\.0 needs NVIDIA driver ≥ 384\.81/)
    expect(r.stderr).toMatch(/fix: .*--cpu/)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('--explain says which file and line chose each value', () => {
    const r = envctl(['resolve', '--cpu', '--explain'], project('extends = "pytorch"\n[frameworks]\npytorch = "~2.3"\n'))
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/why pytorch = 2\.3\.1 \(cpu\): newest release matching "~2\.3" \(envctl\.toml:3/)
  })

  it('bad host flags are usage errors (exit 3)', () => {
    const r = envctl(['resolve', 'pytorch', '--gpu-arch', 'sm_9x'], project())
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/sm_9x/)
  })

  it('an invalid stack is exit 2 with file:line:column', () => {
    const r = envctl(['resolve'], project('extends = "pytorch"\n[gpu]\nmode = "sometimes"\n'))
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/envctl\.toml:3:\d+/)
  })
})

describe('envctl dockerfile and lock', () => {
  it('dockerfile is byte-identical across runs and written only with -o', () => {
    const dir = project('extends = "pytorch"\n')
    const a = envctl(['dockerfile', '--cpu'], dir)
    const b = envctl(['dockerfile', '--cpu'], dir)
    expect(a.code, a.stderr).toBe(0)
    expect(a.stdout).toBe(b.stdout)
    expect(a.stdout).toMatch(/^FROM python:3\.11-slim-bookworm$/m)
    expect(existsSync(join(dir, 'Dockerfile'))).toBe(false)
    expect(envctl(['dockerfile', '--cpu', '-o', 'Dockerfile'], dir).code).toBe(0)
    expect(readFileSync(join(dir, 'Dockerfile'), 'utf8')).toBe(a.stdout)
  })

  it('lock writes both variants with the matrix version; a later resolve uses it; --frozen catches drift', () => {
    const dir = project('extends = "pytorch"\n[frameworks]\npytorch = "~2.3"\n')
    const l = envctl(['lock', '--cpu', '--json'], dir)
    expect(l.code, l.stderr).toBe(0)
    const text = readFileSync(join(dir, 'envctl.lock'), 'utf8')
    expect(text).toMatch(/matrix = "\d{4}\.\d{2}\.\d{2}"/)
    expect(text).toMatch(/\[variants\.cpu\.resolution\]/)
    expect(text).toMatch(/\[variants\.gpu\.resolution\]/)
    const r = envctl(['resolve', '--cpu', '--json'], dir)
    expect((r.json as { lock: string }).lock).toBe('used')

    writeFileSync(join(dir, 'envctl.toml'), 'extends = "pytorch"\n[frameworks]\npytorch = "~2.4"\n')
    const drift = envctl(['up', '--cpu', '--frozen', '--docker-host', 'unix:///nonexistent.sock'], dir)
    expect(drift.code).toBe(6)
    expect(drift.stderr).toMatch(/2\.3\.1.*→.*2\.4\.1/)
  })
})
