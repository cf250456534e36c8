import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { parseStackText } from '../../../src/stack/parse.js'
import { toProblems, validateStackTable } from '../../../src/stack/validate.js'

function problems(text: string) {
  const source = parseStackText(text, '/x/envctl.toml', 'envctl.toml')
  return toProblems(validateStackTable(source.table), source.display, source.positions)
}

describe('validateStackTable', () => {
  it('accepts the full example from docs/STACK-FILE.md', () => {
    const text = `
extends = "pytorch"
name = "vision-lab"
description = "Object detection experiments"
[python]
version = "3.11"
[frameworks]
pytorch = "~2.3"
[packages]
pip = ["torch==2.3.1", "numpy>=1.26", "opencv-python-headless"]
apt = ["ffmpeg"]
npm = ["express@^4.18"]
maven = ["org.slf4j:slf4j-api:2.0.13"]
[node]
version = "20"
[java]
version = "17"
build = "maven"
[gpu]
mode = "auto"
cuda = "12.1"
[notebook]
enabled = false
port = 8888
[env]
HF_HOME = "/cache/huggingface"
[mirrors]
pip = "https://mirror.example/simple"
pip_extra = ["https://mirror.example/extra/simple"]
pip_trusted_hosts = ["mirror.example"]
pip_find_links = ["https://mirror.example/wheels/"]
pytorch = "https://mirror.example/whl"
apt = "http://mirror.example/debian"
npm = "https://mirror.example/npm/"
maven = "https://mirror.example/maven2"
registry = "mirror.example:5000"
[network]
http_proxy = "http://proxy.example:3128"
https_proxy = "http://proxy.example:3128"
no_proxy = "localhost,127.0.0.1"
ca_bundle = "certs/ca.pem"
ca_in_image = false
build_network = "host"
[run]
shm_size = "8g"
ports = ["8000", "8080:80"]
bind = "127.0.0.1"
ulimits = { memlock = -1, stack = 67108864 }
command = ["bash"]
[base]
image = "python:3.11-slim-bookworm"
`
    expect(problems(text)).toEqual([])
  })

  it('collects every problem instead of stopping at the first', () => {
    const found = problems('[gpu]\nmode = 1\ncuda = "x"\nextra = true\n[notebook]\nport = 70000\n')
    expect(found.map((p) => p.location?.keyPath)).toEqual(['gpu.mode', 'gpu.cuda', 'gpu.extra', 'notebook.port'])
  })

  it('says what type was expected and what was found', () => {
    expect(problems('[run]\nulimits = ["x"]\n')[0]).toMatchObject({ message: 'expected a table, got an array', location: { line: 2, column: 1, keyPath: 'run.ulimits' } })
    expect(problems('[env]\nX = 1\n')[0].message).toBe('expected a string, got an integer (1)')
    expect(problems('gpu = "none"\n')[0].message).toBe('expected a table, got a string ("none")')
    expect(problems('[notebook]\nport = 88.5\n')[0].message).toBe('expected an integer, got a float (88.5)')
    expect(problems('description = 1979-05-27\n')[0].message).toBe('expected a string, got a date-time')
  })

  it('lists the allowed keys when no key is close', () => {
    expect(problems('[java]\nvendor = "temurin"\n')[0]).toMatchObject({ message: 'unknown key `vendor`', hint: 'keys allowed here: version, build' })
    expect(problems('colour = "blue"\n')[0].hint).toMatch(/^keys allowed at the top level: extends, name, description, python,/)
  })

  it('suggests the framework key for a misspelt or short name', () => {
    expect(problems('[frameworks]\ntorch = "2.3"\npytroch = "2.3"\n').map((p) => p.message)).toEqual([
      'unknown key `torch`; did you mean `pytorch`?',
      'unknown key `pytroch`; did you mean `pytorch`?',
    ])
  })

  it('refuses keys smol-toml would turn into prototype properties', () => {
    expect(() => parseStackText('__proto__ = 1\n', '/x/a.toml', 'a.toml')).toThrow(/not valid TOML/)
  })
})

describe('docs/STACK-FILE.md', () => {
  const doc = readFileSync(new URL('../../../docs/STACK-FILE.md', import.meta.url), 'utf8')
  const examples = [...doc.matchAll(/```toml\n([\s\S]*?)```/g)].map((m) => m[1]).filter((t) => !t.includes('[[rule]]'))

  it('has examples to check', () => {
    expect(examples.length).toBeGreaterThan(0)
  })

  it.each(examples.map((text, i) => [i, text]))('example %i is a valid stack file', (_, text) => {
    expect(problems(text as string)).toEqual([])
  })
})
