import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { outdated, type PageFetcher } from '../../../src/project/outdated.js'
import { cpuHost } from '../../support/spec.js'

function project(toml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'envctl-outdated-'))
  writeFileSync(join(dir, 'envctl.toml'), toml)
  return dir
}

const page = (name: string, versions: string[]) => versions.map((v) => `<a href="/files/${name}-${v}-py3-none-any.whl#sha256=00">${name}-${v}-py3-none-any.whl</a>`).join('\n')

const STACK = `extends = "pytorch"
[frameworks]
pytorch = "~2.3"
[packages]
pip = ["numpy<2.4", "requests==2.31.0", "missing-pkg"]
[mirrors]
pip = "http://index.example/simple"
`

describe('envctl outdated', () => {
  it('framework releases newer than the locked one, in range and not; index versions per top-level pip requirement', async () => {
    const asked: string[] = []
    const fetchPage: PageFetcher = async (url) => {
      asked.push(url)
      if (url.endsWith('/numpy/')) return { status: 200, text: page('numpy', ['2.2.6', '2.3.5', '2.4.6', '2.5.0rc1']) }
      if (url.endsWith('/requests/')) return { status: 200, text: page('requests', ['2.31.0', '2.32.3']) }
      return { status: 404, text: 'not found' }
    }
    const r = await outdated({ cwd: project(STACK), host: cpuHost, fetchPage })
    expect(r.index).toBe('http://index.example/simple')
    const torch = r.rows.find((x) => x.name === 'pytorch')!
    expect(torch).toMatchObject({ kind: 'framework', locked: '2.3.1', wanted: '2.3.1', status: 'outdated' })
    expect(torch.latest).not.toBe('2.3.1')
    expect(r.rows.find((x) => x.name === 'numpy')).toMatchObject({ kind: 'pip', locked: null, wanted: '2.3.5', latest: '2.4.6', status: 'not locked' })
    expect(r.rows.find((x) => x.name === 'requests')).toMatchObject({ locked: '2.31.0', wanted: '2.31.0', latest: '2.32.3', status: 'outdated' })
    expect(r.rows.find((x) => x.name === 'missing-pkg')).toMatchObject({ status: 'not found' })
    expect(asked).toContain('http://index.example/simple/numpy/')
    expect(asked.some((u) => u.includes('/torch/'))).toBe(false)
  })

  it('an index that cannot be reached is reported per package, not as a failure', async () => {
    const fetchPage: PageFetcher = async () => {
      throw Object.assign(new TypeError('fetch failed'), { cause: new Error('getaddrinfo ENOTFOUND index.example') })
    }
    const r = await outdated({ cwd: project(STACK), host: cpuHost, fetchPage })
    const pip = r.rows.filter((x) => x.kind === 'pip')
    expect(pip.length).toBeGreaterThan(0)
    for (const row of pip) expect(row).toMatchObject({ status: 'offline', source: expect.stringMatching(/ENOTFOUND/) })
  })

  it('a slow index is cut off after the timeout', async () => {
    const fetchPage: PageFetcher = (_url, signal) =>
      new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)))
    const r = await outdated({ cwd: project(STACK), host: cpuHost, fetchPage, timeoutMs: 50 })
    expect(r.rows.find((x) => x.name === 'numpy')).toMatchObject({ status: 'offline', source: expect.stringMatching(/no answer within 0\.05 s/) })
  })
})
