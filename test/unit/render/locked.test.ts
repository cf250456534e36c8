import { describe, expect, it } from 'vitest'
import type { LockedInstall, PinnedPip, ResolvedStack } from '../../../src/resolvers/types.js'
import { renderDockerfile } from '../../../src/render/render-dockerfile.js'
import { renderContextFiles } from '../../../src/render/context-files.js'
import { loadResolved } from './fixtures.js'
import { parseDockerfile } from './dockerfile-parser.js'

const SHA = (c: string) => c.repeat(64)
const DIGEST = `sha256:${SHA('d')}`

const pins: PinnedPip[] = [
  { name: 'filelock', version: '3.20.0', sha256: SHA('b'), layer: 'framework' },
  { name: 'numpy', version: '2.2.6', sha256: SHA('c'), layer: 'user' },
  { name: 'tool', version: '0.1', url: 'git+https://example.com/tool@abc123', layer: 'user' },
  { name: 'torch', version: '2.13.0+cpu', sha256: SHA('a'), layer: 'framework' },
  { name: 'torchvision', version: '0.28.0', sha256: SHA('e'), layer: 'framework' },
]

function locked(partial: Partial<LockedInstall> = {}): ResolvedStack {
  const r = loadResolved('pytorch-cpu')
  return { ...r, base: { ...r.base, digest: DIGEST }, locked: { pip: pins, releasedPip: [], apt: { git: '1:2.39.5-0+deb12u2', 'git-man': '1:2.39.5-0+deb12u2' }, npm: {}, ...partial } }
}

const runs = (text: string) => parseDockerfile(text).instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args)

describe('rendering with envctl.lock', () => {
  it('FROM the recorded digest, apt at the recorded versions, every pip layer exactly the recorded set', () => {
    const text = renderDockerfile(locked())
    expect(text).toContain(`FROM python:3.11-slim-bookworm@${DIGEST}`)
    expect(text).toContain("'git=1:2.39.5-0+deb12u2'")
    expect(text).toContain("'git-man=1:2.39.5-0+deb12u2'")
    const pip = runs(text).filter((r) => r.includes('pip install'))
    expect(pip).toHaveLength(2)
    expect(pip[0]).toContain('--mount=type=bind,source=envctl/pip-framework.txt,target=/tmp/envctl/pip-framework.txt')
    expect(pip[0]).toContain('PIP_REPORT=/opt/envctl/pip-report-framework.json python -m pip install --no-deps --require-hashes')
    expect(pip[0]).not.toContain("'torch==2.13.0+cpu'")
    expect(pip[1]).toContain('-r /tmp/envctl/pip-user.txt')
    expect(pip[1]).toContain('python -m pip install --no-deps       --extra-index-url')
    expect(pip[1]).toContain('-r /tmp/envctl/pip-user-nohash.txt')
  })

  it('requirements files: name==version --hash=sha256:…, one per line, sorted; direct references without a hash apart', () => {
    expect(renderContextFiles(locked())).toEqual({
      'envctl/pip-framework.txt': `# envctl.lock: the framework layer, exactly\nfilelock==3.20.0 --hash=sha256:${SHA('b')}\ntorch==2.13.0+cpu --hash=sha256:${SHA('a')}\ntorchvision==0.28.0 --hash=sha256:${SHA('e')}\n`,
      'envctl/pip-user.txt': `# envctl.lock: the user layer, exactly\nnumpy==2.2.6 --hash=sha256:${SHA('c')}\n`,
      'envctl/pip-user-nohash.txt': "# envctl.lock: the user layer's packages without a sha256\ntool @ git+https://example.com/tool@abc123\n",
    })
  })

  it('is deterministic and pure: same input, same text and files', () => {
    expect(renderDockerfile(locked())).toBe(renderDockerfile(locked()))
    expect(renderContextFiles(locked())).toEqual(renderContextFiles(locked()))
    expect(renderContextFiles(loadResolved('pytorch-cpu'))).toEqual({})
  })

  it('a released framework dependency re-resolves the framework layer, and the user layer after it, with the other pins as constraints', () => {
    const filelock = pins[0]!
    const r = locked({ pip: pins.filter((p) => p !== filelock), releasedPip: [filelock] })
    const files = renderContextFiles(r)
    expect(files['envctl/pip-framework-constraints.txt']).toBe('# envctl.lock: the framework layer\'s versions that stay\ntorch==2.13.0+cpu\ntorchvision==0.28.0\n')
    expect(files['envctl/pip-user-constraints.txt']).toBe("# envctl.lock: the user layer's versions that stay\nnumpy==2.2.6\n")
    const pip = runs(renderDockerfile(r)).filter((x) => x.includes('pip install'))
    expect(pip[0]).toContain("-c /tmp/envctl/pip-framework-constraints.txt       'torch==2.13.0+cpu'")
    expect(pip[1]).toContain("-c /tmp/envctl/pip-user-constraints.txt       'numpy'")
    expect(pip.join('\n')).not.toContain('--require-hashes')
  })

  it('a requirement the lock does not pin yet re-resolves its layer only', () => {
    const r = locked()
    r.pip = [...r.pip, { name: 'pandas', version: '*', requirement: 'pandas', reason: 'stack' }]
    const pip = runs(renderDockerfile(r)).filter((x) => x.includes('pip install'))
    expect(pip[0]).toContain('--require-hashes')
    expect(pip[1]).toContain("'pandas'")
    expect(pip[1]).toContain('-c /tmp/envctl/pip-user-constraints.txt')
  })

  it('refuses a locked value that would escape the requirements file or the shell', () => {
    expect(() => renderContextFiles(locked({ pip: [{ name: 'numpy', version: '${HOME}', layer: 'user' }] }))).toThrow(/locked version of "numpy"/)
    expect(() => renderContextFiles(locked({ pip: pins.map((p) => (p.name === 'numpy' ? { ...p, sha256: 'zz' } : p)) }))).toThrow(/sha256 of locked pip package/)
    expect(() => renderContextFiles(locked({ pip: pins.map((p) => (p.name === 'tool' ? { ...p, url: 'ext::sh -c touch% /tmp/pwned' } : p)) }))).toThrow(/URL of locked pip package/)
    expect(() => renderDockerfile(locked({ apt: { git: "1'; rm -rf /" } }))).toThrow(/apt package/)
  })
})
