import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadMatrix } from '../../../src/matrix/load.js'
import { loadStack } from '../../../src/stack/load.js'
import { resolveStack } from '../../../src/resolvers/resolve.js'
import { PACKAGE_ROOT } from '../../../src/package-root.js'
import type { HostFacts } from '../../../src/host/types.js'
import { cpuHost, gpuHost, h100 } from '../../support/spec.js'
import { caught, stackDir } from '../stack/helpers.js'

// The nearer pin wins (docs/STACK-FILE.md, "Layers"): a project file that pins a framework gets that pin,
// whatever range the built-in it extends asks for; an inherited python.version gives way when the pinned
// frameworks have no wheels for it. Every built-in × old and new pins, written in [frameworks] and in packages.pip.

const matrix = loadMatrix()
const v100 = gpuHost('7.0', '410.48', 'Tesla V100')
const legacySet = '"tensorflow-gpu==1.12.0", "torch==0.4.1", "mxnet-cu90==1.4.1", "numpy==1.14.5"'

function resolveIn(files: Record<string, string>, host: HostFacts) {
  const dir = stackDir(files)
  return resolveStack(loadStack(join(dir, 'envctl.toml'), { cwd: dir }), matrix, host)
}

const followsNotice = /python\.version "3\.11" \(built-in [a-z-]+ \(stacks\/[a-z-]+\.toml:\d+:1\)\) is inherited/

interface Row {
  builtin: string
  pin: string
  via: 'frameworks' | 'packages.pip'
  body: string
  host: HostFacts
  frameworks: Record<string, string>
  python: string
  follows: boolean
}

const rows: Row[] = [
  { builtin: 'pytorch', pin: 'old', via: 'packages.pip', body: '[packages]\npip = ["torch==1.13.1"]', host: cpuHost, frameworks: { pytorch: '1.13.1' }, python: '3.10', follows: true },
  { builtin: 'pytorch', pin: 'old', via: 'frameworks', body: '[frameworks]\npytorch = "1.13.1"', host: cpuHost, frameworks: { pytorch: '1.13.1' }, python: '3.10', follows: true },
  { builtin: 'pytorch', pin: 'old (range)', via: 'frameworks', body: '[frameworks]\npytorch = "<2"', host: cpuHost, frameworks: { pytorch: '1.13.1' }, python: '3.10', follows: true },
  { builtin: 'pytorch', pin: 'old (companion)', via: 'packages.pip', body: '[packages]\npip = ["torchvision==0.14.1"]', host: cpuHost, frameworks: { pytorch: '1.13.1' }, python: '3.10', follows: true },
  // torch==0.4.1 cp37 exists only as the cu90 PyPI wheel (the cu92 build chosen for a V100 is 0.4.1.post2 there), so python follows to 3.6.
  { builtin: 'pytorch', pin: 'oldest', via: 'packages.pip', body: '[packages]\npip = ["torch==0.4.1"]', host: v100, frameworks: { pytorch: '0.4.1' }, python: '3.6', follows: true },
  { builtin: 'pytorch', pin: 'old on a GPU', via: 'packages.pip', body: '[packages]\npip = ["torch==1.13.1"]', host: gpuHost('7.0', '470.82.01'), frameworks: { pytorch: '1.13.1' }, python: '3.10', follows: true },
  { builtin: 'pytorch', pin: 'new', via: 'packages.pip', body: '[packages]\npip = ["torch==2.3.1"]', host: cpuHost, frameworks: { pytorch: '2.3.1' }, python: '3.11', follows: false },
  { builtin: 'pytorch', pin: 'new', via: 'frameworks', body: '[frameworks]\npytorch = "~2.3"', host: h100, frameworks: { pytorch: '2.3.1' }, python: '3.11', follows: false },
  { builtin: 'tensorflow-gpu', pin: 'old', via: 'packages.pip', body: '[packages]\npip = ["tensorflow-gpu==1.12.0"]', host: v100, frameworks: { tensorflow: '1.12.0' }, python: '3.5', follows: true },
  { builtin: 'tensorflow-gpu', pin: 'old', via: 'frameworks', body: '[frameworks]\ntensorflow = "1.12"', host: v100, frameworks: { tensorflow: '1.12.0' }, python: '3.5', follows: true },
  { builtin: 'tensorflow-gpu', pin: 'old on a CPU', via: 'packages.pip', body: '[packages]\npip = ["tensorflow==1.12.0"]', host: cpuHost, frameworks: { tensorflow: '1.12.0' }, python: '3.6', follows: true },
  { builtin: 'tensorflow-gpu', pin: 'the 2018 set', via: 'packages.pip', body: `[packages]\npip = [${legacySet}]`, host: v100, frameworks: { tensorflow: '1.12.0', pytorch: '0.4.1', mxnet: '1.4.1' }, python: '3.5', follows: true },
  { builtin: 'tensorflow-gpu', pin: 'new', via: 'packages.pip', body: '[packages]\npip = ["tensorflow==2.16.1"]', host: h100, frameworks: { tensorflow: '2.16.1' }, python: '3.11', follows: false },
  { builtin: 'tensorflow-gpu', pin: 'new', via: 'frameworks', body: '[frameworks]\ntensorflow = "~2.16"', host: cpuHost, frameworks: { tensorflow: '2.16.1' }, python: '3.11', follows: false },
]

describe('the nearer pin wins over the built-in it extends', () => {
  it.each(rows)('$builtin × $pin pin via $via', (row) => {
    const r = resolveIn({ 'envctl.toml': `extends = "${row.builtin}"\n${row.body}\n` }, row.host)
    expect(r.frameworks).toEqual(row.frameworks)
    expect(r.python).toBe(row.python)
    if (row.follows) expect(r.warnings.join('\n')).toMatch(followsNotice)
    else expect(r.warnings.join('\n')).not.toMatch(/is inherited/)
  })

  it.each(rows)('$builtin × $pin pin via $via: frameworks and CUDA as without extends', (row) => {
    const layered = resolveIn({ 'envctl.toml': `extends = "${row.builtin}"\n${row.body}\n` }, row.host)
    const alone = resolveIn({ 'envctl.toml': `${row.body}\n` }, row.host)
    expect([layered.frameworks, layered.variants, layered.cuda]).toEqual([alone.frameworks, alone.variants, alone.cuda])
    if (row.follows) expect(layered.python).toBe(alone.python)
  })

  it.each(['node', 'java'])('%s: frameworks do not apply; a framework pin is a second runtime, said as such', (builtin) => {
    for (const body of ['[packages]\npip = ["torch==1.13.1"]', '[frameworks]\npytorch = "1.13.1"']) {
      const e = caught(() => resolveIn({ 'envctl.toml': `extends = "${builtin}"\n${body}\n` }, cpuHost))
      expect(e.code).toBe('UNRESOLVABLE')
      expect(e.message).toMatch(/more than one language runtime/)
    }
  })

  it('a framework the built-in does not name is added; the built-in range of its own framework stays', () => {
    const r = resolveIn({ 'envctl.toml': 'extends = "pytorch"\n[packages]\npip = ["tensorflow==2.16.1"]\n' }, cpuHost)
    expect(r.frameworks.tensorflow).toBe('2.16.1')
    expect(Number(r.frameworks.pytorch.split('.')[0])).toBeGreaterThanOrEqual(2)
    expect(r.python).toBe('3.11')
  })

  it('a pin in a middle file wins over the built-in, and the project above it keeps it', () => {
    const r = resolveIn({ 'base.toml': 'extends = "pytorch"\n[packages]\npip = ["torch==1.13.1"]\n', 'envctl.toml': 'extends = "./base.toml"\n[packages]\npip = ["scipy"]\n' }, cpuHost)
    expect(r.frameworks.pytorch).toBe('1.13.1')
    expect(r.python).toBe('3.10')
  })

  it('the top file replaces a pin of a middle file, written either way', () => {
    const r = resolveIn({ 'base.toml': 'extends = "pytorch"\n[packages]\npip = ["torch==2.3.1", "torchaudio==2.3.1"]\n', 'envctl.toml': 'extends = "./base.toml"\n[frameworks]\npytorch = "~1.13"\n' }, cpuHost)
    expect(r.frameworks.pytorch).toBe('1.13.1')
    expect(Object.fromEntries(r.pip.map((p) => [p.name, p.version]))).toMatchObject({ torch: '1.13.1+cpu', torchaudio: '0.13.1+cpu' })
  })
})

describe('python.version: a preference when inherited, a hard constraint next to the pin', () => {
  it('written in the same file as the pin and fitting: used, and shown as overriding the built-in', () => {
    const r = resolveIn({ 'envctl.toml': 'extends = "pytorch"\n[python]\nversion = "3.8"\n[packages]\npip = ["torch==1.13.1"]\n' }, cpuHost)
    expect(r.python).toBe('3.8')
    expect(r.warnings.join('\n')).not.toMatch(/is inherited/)
    expect(r.explain.find((e) => e.key === 'python')?.because).toMatch(/overrides python\.version "3\.11" \(built-in pytorch \(stacks\/pytorch\.toml:10:1\)\)/)
  })

  it('written in the same file as the pin and conflicting: an error naming both lines, file:line:column each', () => {
    const e = caught(() => resolveIn({ 'envctl.toml': 'extends = "pytorch"\n[python]\nversion = "3.12"\n[packages]\npip = ["torch==1.13.1"]\n' }, cpuHost))
    expect(e.code).toBe('UNRESOLVABLE')
    expect(e.message).toMatch(/python\.version "3\.12" \(envctl\.toml:3:1\) conflicts with packages\.pip "torch==1\.13\.1" \(envctl\.toml:5:8\)/)
    expect(e.message).toMatch(/3\.7, 3\.8, 3\.9, 3\.10/)
  })

  it('written nearer than an inherited range: hard, and the error names the built-in by name, not by its installed path', () => {
    const e = caught(() => resolveIn({ 'envctl.toml': 'extends = "tensorflow-gpu"\n[python]\nversion = "3.8"\n' }, cpuHost))
    expect(e.message).toMatch(/python\.version "3\.8" \(envctl\.toml:3:1\) conflicts with frameworks\.tensorflow \(built-in tensorflow-gpu \(stacks\/tensorflow-gpu\.toml:13:1\)\)/)
    expect(e.message).not.toContain(PACKAGE_ROOT)
  })

  it('inherited from a middle file, pinned above it: a preference that gives way', () => {
    const r = resolveIn({ 'base.toml': 'extends = "pytorch"\n[python]\nversion = "3.12"\n', 'envctl.toml': 'extends = "./base.toml"\n[packages]\npip = ["torch==1.13.1"]\n' }, cpuHost)
    expect(r.python).toBe('3.10')
    expect(r.warnings.join('\n')).toMatch(/python\.version "3\.12" \(base\.toml:3:1\) is inherited/)
  })

  it('inherited and fitting the pin: kept', () => {
    const r = resolveIn({ 'base.toml': 'extends = "pytorch"\n[python]\nversion = "3.9"\n', 'envctl.toml': 'extends = "./base.toml"\n[packages]\npip = ["torch==1.13.1"]\n' }, cpuHost)
    expect(r.python).toBe('3.9')
  })

  it('a preference does not rescue pins that cannot hold together: the error is about the frameworks', () => {
    const e = caught(() => resolveIn({ 'envctl.toml': 'extends = "pytorch"\n[packages]\npip = ["torch==2.3.1", "tensorflow-gpu==1.12.0"]\n' }, cpuHost))
    expect(e.code).toBe('UNRESOLVABLE')
    expect(e.message).toMatch(/no single CUDA, python and base image/)
  })
})

describe('resolve --explain: which layer won and what it overrode', () => {
  it('a pip pin over the built-in range', () => {
    const r = resolveIn({ 'envctl.toml': 'extends = "tensorflow-gpu"\n[packages]\npip = ["tensorflow-gpu==1.12.0"]\n' }, v100)
    const line = r.explain.find((e) => e.key === 'tensorflow')?.because
    expect(line).toMatch(/matching packages\.pip\[0\] "tensorflow-gpu==1\.12\.0" \(envctl\.toml:3:8\)/)
    expect(line).toMatch(/overrides frameworks\.tensorflow ">=2\.14" \(built-in tensorflow-gpu \(stacks\/tensorflow-gpu\.toml:13:1\)\)/)
    expect(r.explain.find((e) => e.key === 'python')?.because).toMatch(followsNotice)
  })

  it('a [frameworks] range over a pin in a middle file', () => {
    const r = resolveIn({ 'base.toml': 'extends = "pytorch"\n[packages]\npip = ["torch==2.3.1"]\n', 'envctl.toml': 'extends = "./base.toml"\n[frameworks]\npytorch = "~1.13"\n' }, cpuHost)
    const line = r.explain.find((e) => e.key === 'pytorch')?.because
    expect(line).toMatch(/matching "~1\.13" \(envctl\.toml:3:1\)/)
    expect(line).toMatch(/overrides frameworks\.pytorch ">=2\.0" \(built-in pytorch \(stacks\/pytorch\.toml:14:1\)\), packages\.pip "torch==2\.3\.1" \(base\.toml:3:8\)/)
  })
})
