import { describe, expect, it } from 'vitest'
import { parsePipReport } from '../../../src/lock/pip-report.js'

const SHA = 'ba10f8411898fc418a521833e014a77d3ca01c15b0c6cdcce6a0d2897e6dbbdf'

function report(install: unknown[]): string {
  return JSON.stringify({ version: '1', pip_version: '23.0.1', install })
}

describe('parsePipReport', () => {
  it('reads name (normalised), version and the sha256 the index gave', () => {
    const text = report([
      {
        download_info: { url: 'http://127.0.0.1:8081/files/a/numpy-2.2.6-cp311.whl', archive_info: { hash: `sha256=${SHA}`, hashes: { sha256: SHA } } },
        is_direct: false,
        requested: true,
        metadata: { name: 'NumPy', version: '2.2.6' },
      },
      { download_info: { url: 'x', archive_info: { hash: `sha256=${SHA}` } }, is_direct: false, metadata: { name: 'typing_extensions', version: '4.12.2' } },
    ])
    expect(parsePipReport(text, 'user', 'r.json')).toEqual([
      { name: 'numpy', version: '2.2.6', layer: 'user', sha256: SHA },
      { name: 'typing-extensions', version: '4.12.2', layer: 'user', sha256: SHA },
    ])
  })

  it('says why a package has no hash, and keeps the direct reference of a VCS install', () => {
    const text = report([
      { download_info: { url: 'https://github.com/o/tool', vcs_info: { vcs: 'git', commit_id: 'abc123' } }, is_direct: true, metadata: { name: 'tool', version: '0.1' } },
      { download_info: { url: 'file:///src/mine', dir_info: {} }, is_direct: true, metadata: { name: 'mine', version: '1.0' } },
      { download_info: { url: 'http://idx/files/plain-1.0.tar.gz', archive_info: {} }, is_direct: false, metadata: { name: 'plain', version: '1.0' } },
    ])
    const [tool, mine, plain] = parsePipReport(text, 'framework', 'r.json')
    expect(tool).toMatchObject({ name: 'tool', url: 'git+https://github.com/o/tool@abc123', unhashed: expect.stringMatching(/version-control/) })
    expect(mine).toMatchObject({ name: 'mine', unhashed: expect.stringMatching(/local folder/) })
    expect(mine?.url).toBeUndefined()
    expect(plain).toMatchObject({ name: 'plain', layer: 'framework', unhashed: 'the package index gave no sha256 for it' })
  })

  it('refuses a file that is not a report, naming it', () => {
    expect(() => parsePipReport('{', 'user', '/opt/envctl/pip-report-user.json')).toThrow(/pip-report-user\.json is not a pip installation report/)
    expect(() => parsePipReport('{}', 'user', 'r.json')).toThrow(/no "install" list/)
  })
})
