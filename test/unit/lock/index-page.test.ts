import { describe, expect, it } from 'vitest'
import { newest, versionFromFilename, versionsOnPage } from '../../../src/lock/index-page.js'

const PAGE = `<!DOCTYPE html><html><body>
<a href="/files/a/numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl#sha256=89cd">numpy-2.4.6-cp311-cp311-manylinux_2_27_x86_64.manylinux_2_28_x86_64.whl</a>
<a href="/files/a/numpy-2.2.6-cp311-cp311-manylinux_2_17_x86_64.whl#sha256=ba10">numpy-2.2.6-cp311-cp311-manylinux_2_17_x86_64.whl</a>
<a href="/files/a/numpy-2.5.0rc1-cp311-cp311-linux_x86_64.whl">numpy-2.5.0rc1-cp311-cp311-linux_x86_64.whl</a>
<a href="/files/a/numpy-2.3.5.tar.gz#sha256=8cba">numpy-2.3.5.tar.gz</a>
<a href="/files/a/numpy-2.4.7-cp311-cp311-linux_x86_64.whl" data-yanked="broken wheel">numpy-2.4.7-cp311-cp311-linux_x86_64.whl</a>
<a href="/files/a/numpy_financial-1.0.0-py3-none-any.whl">numpy_financial-1.0.0-py3-none-any.whl</a>
</body></html>`

describe('PEP 503 index pages', () => {
  it('reads versions from wheel and sdist file names, newest first, skipping yanked files and other projects', () => {
    expect(versionsOnPage(PAGE, 'numpy')).toEqual(['2.5.0rc1', '2.4.6', '2.3.5', '2.2.6'])
  })

  it('splits sdist names that contain dashes by the project name', () => {
    expect(versionFromFilename('python-dateutil-2.9.0.post0.tar.gz', 'python_dateutil')).toBe('2.9.0.post0')
    expect(versionFromFilename('python_dateutil-2.9.0-py2.py3-none-any.whl', 'python-dateutil')).toBe('2.9.0')
    expect(versionFromFilename('numpy-2.2.6.exe', 'numpy')).toBeNull()
  })

  it('the newest final release, and the newest within a requirement', () => {
    const versions = versionsOnPage(PAGE, 'numpy')
    expect(newest(versions)).toBe('2.4.6')
    expect(newest(versions, [{ op: '<', version: '2.4' }])).toBe('2.3.5')
    expect(newest(['3.0.0b1'])).toBe('3.0.0b1')
  })
})
