import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseLock, serializeLock } from '../../../src/lock/serialize.js'
import { toLocked } from '../../../src/lock/variant.js'
import { LOCK_VERSION, type LockFile } from '../../../src/lock/types.js'
import { installedSet } from '../../../src/lock/installed.js'
import { renderChanges } from '../../../src/lock/diff.js'
import { diffInstalled } from '../../../src/lock/installed-diff.js'
import { writeLock } from '../../../src/project/lock.js'
import { plan } from '../../../src/project/plan.js'
import { renderDockerfile } from '../../../src/render/render-dockerfile.js'
import { renderContextFiles } from '../../../src/render/context-files.js'
import { loadResolved } from '../render/fixtures.js'
import { cpuHost } from '../../support/spec.js'

const SHA = (c: string) => c.repeat(64)

const installed = installedSet(
  [
    { name: 'torch', version: '2.13.0+cpu', layer: 'framework', sha256: SHA('a') },
    { name: 'filelock', version: '3.20.0', layer: 'framework', sha256: SHA('b') },
    { name: 'numpy', version: '2.2.6', layer: 'user', sha256: SHA('c') },
    { name: 'tool', version: '0.1', layer: 'user', url: 'git+https://example.com/tool@abc', unhashed: 'installed from a version-control checkout' },
  ],
  { git: '1:2.39.5-0+deb12u2', 'libcurl3-gnutls': '7.88.1-10+deb12u14' },
)

function lockFile(): LockFile {
  const resolution = toLocked(loadResolved('pytorch-cpu'))
  return { lockVersion: LOCK_VERSION, envctl: '0.1.0', matrix: '2026.11.27', stack: 'pytorch-cpu', inputs: 'sha256:x', variants: { cpu: { resolution, baseDigest: `sha256:${SHA('d')}`, installed } } }
}

describe('envctl.lock with the installed set', () => {
  it('round-trips through TOML unchanged', () => {
    const lock = lockFile()
    expect(parseLock(serializeLock(lock), 'envctl.lock')).toEqual(lock)
  })

  it('one table per package manager, one line per package, keys sorted; hashes and layers in parallel tables', () => {
    const text = serializeLock(lockFile())
    expect(text).toContain('[variants.cpu.installed.pip]\nfilelock = "3.20.0"\nnumpy = "2.2.6"\ntool = "0.1"\ntorch = "2.13.0+cpu"\n')
    expect(text).toContain(`[variants.cpu.installed.pipSha256]\nfilelock = "${SHA('b')}"\nnumpy = "${SHA('c')}"\ntorch = "${SHA('a')}"\n`)
    expect(text).toContain('[variants.cpu.installed.pipLayer]\nfilelock = "framework"\ntorch = "framework"\n')
    expect(text).toContain('[variants.cpu.installed.apt]\ngit = "1:2.39.5-0+deb12u2"\n')
    expect(text).toContain(`baseDigest = "sha256:${SHA('d')}"`)
    expect(serializeLock(lockFile())).toBe(text)
  })

  it('a changed version reads as one line: ~ pip numpy: 2.2.6 → 2.3.5', () => {
    const before = lockFile().variants.cpu!
    const after = { ...before, installed: { ...before.installed!, pip: { ...before.installed!.pip, numpy: '2.3.5', idna: '3.10' } } }
    expect(renderChanges(diffInstalled(before, after))).toBe('+ pip idna = 3.10\n~ pip numpy: 2.2.6 → 2.3.5')
  })
})

function project(toml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'envctl-lock-'))
  writeFileSync(join(dir, 'envctl.toml'), toml)
  return dir
}

const PYTHON_STACK = `name = "upgrade-test"
[python]
version = "3.11"
[packages]
pip = ["numpy==2.2.6", "requests"]
[gpu]
mode = "none"
`

/** A lock as `envctl up` leaves it: resolution from `envctl lock`, installed set from a build. */
function recordedProject(): string {
  const dir = project(PYTHON_STACK)
  writeLock({ cwd: dir, host: cpuHost })
  const path = join(dir, 'envctl.lock')
  const lock = parseLock(readFileSync(path, 'utf8'), path)
  const pins = [
    { name: 'numpy', version: '2.2.6', sha256: SHA('1') },
    { name: 'requests', version: '2.32.3', sha256: SHA('2') },
    { name: 'idna', version: '3.10', sha256: SHA('3') },
    { name: 'jupyterlab', version: '4.4.0', sha256: SHA('4') },
  ]
  lock.variants.cpu!.installed = installedSet(pins.map((p) => ({ ...p, layer: 'user' as const })), {})
  writeFileSync(path, serializeLock(lock))
  return dir
}

describe('envctl lock --upgrade NAME', () => {
  it('releases only the named package; every other recorded version stays pinned', () => {
    const dir = recordedProject()
    const res = writeLock({ cwd: dir, host: cpuHost, upgrade: true, packages: ['NumPy'] })
    const lock = parseLock(readFileSync(res.path, 'utf8'), res.path)
    expect(lock.variants.cpu!.installed!.unpinned).toEqual(['numpy'])
    expect(lock.variants.cpu!.installed!.pip).toMatchObject({ requests: '2.32.3', idna: '3.10', numpy: '2.2.6' })

    const p = plan({ cwd: dir, host: cpuHost })
    expect(p.resolved.locked!.pip.map((x) => x.name)).toEqual(['idna', 'jupyterlab', 'requests'])
    const files = renderContextFiles(p.resolved)
    expect(files['envctl/pip-user-constraints.txt']).toBe('# envctl.lock: the user layer\'s versions that stay\nidna==3.10\njupyterlab==4.4.0\nrequests==2.32.3\n')
    const dockerfile = renderDockerfile(p.resolved)
    expect(dockerfile).toContain('-c /tmp/envctl/pip-user-constraints.txt')
    expect(dockerfile).toContain("'numpy==2.2.6'")
    expect(dockerfile).not.toContain('--require-hashes')
  })

  it('an unknown name is a usage error that says what the lock holds', () => {
    const dir = recordedProject()
    expect(() => writeLock({ cwd: dir, host: cpuHost, upgrade: true, packages: ['numpyy'] })).toThrow(/not in envctl\.lock: numpyy/)
  })

  it('a lock that records everything installs exactly that set, hashes required', () => {
    const dir = recordedProject()
    const p = plan({ cwd: dir, host: cpuHost })
    expect(p.lockStatus).toBe('used')
    const dockerfile = renderDockerfile(p.resolved)
    expect(dockerfile).toContain('python -m pip install --no-deps --require-hashes')
    expect(renderContextFiles(p.resolved)['envctl/pip-user.txt']).toContain(`numpy==2.2.6 --hash=sha256:${SHA('1')}\n`)
  })

  it('a changed pin releases that package only; --frozen names it with both versions', () => {
    const dir = recordedProject()
    writeFileSync(join(dir, 'envctl.toml'), PYTHON_STACK.replace('numpy==2.2.6', 'numpy==2.3.5'))
    const p = plan({ cwd: dir, host: cpuHost })
    expect(p.lockStatus).toBe('stale')
    expect(p.resolved.locked!.releasedPip.map((x) => x.name)).toEqual(['numpy'])
    expect(p.resolved.locked!.pip.map((x) => x.name)).toEqual(['idna', 'jupyterlab', 'requests'])
    expect(() => plan({ cwd: dir, host: cpuHost, frozen: true })).toThrow(/~ pip numpy: 2\.2\.6 → 2\.3\.5[\s\S]*recorded versions that would be resolved again: pip numpy 2\.2\.6/)
  })
})
