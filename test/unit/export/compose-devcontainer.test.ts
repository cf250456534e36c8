import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { plan } from '../../../src/project/plan.js'
import { exportEnvironment, type ExportRequest } from '../../../src/export/export.js'
import { PACKAGE_ROOT } from '../../../src/package-root.js'
import { cpuHost, h100 } from '../../support/spec.js'

const dir = mkdtempSync(join(tmpdir(), 'envctl-export-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const SECRET = 's3cretPa55'
const stack = [
  'name = "creds"',
  '[python]', 'version = "3.11"',
  '[gpu]', 'mode = "none"',
  '[run]', 'ports = ["8000", "9000:90"]',
  '[mirrors]', `pip = "https://user:${SECRET}@pypi.example.com/simple"`,
  '[network]', `https_proxy = "http://proxyuser:${SECRET}@proxy.example.com:3128"`,
].join('\n')
writeFileSync(join(dir, 'envctl.toml'), `${stack}\n`)

function exported(kind: ExportRequest['kind'], output: string | null = null) {
  const p = plan({ ref: undefined, cwd: dir, host: cpuHost })
  return exportEnvironment(p, { kind, cwd: dir, output, workspace: dir, uid: 1000, gid: 1000 })
}

describe('compose and devcontainer exports', () => {
  for (const kind of ['compose', 'devcontainer', 'k8s'] as const) {
    it(`${kind}: never writes a mirror or proxy credential, and says so`, () => {
      const r = exported(kind)
      expect(r.content).not.toContain(SECRET)
      expect(r.warnings.join('\n')).toMatch(/credentials are not exported/)
    })
  }

  it('compose: a dollar in a value is literal, not interpolated from the shell', () => {
    const p = plan({ ref: 'node', cwd: PACKAGE_ROOT, host: cpuHost })
    const r = exportEnvironment(p, { kind: 'compose', cwd: '/w', output: null, workspace: '/w/$HOME-project', uid: 1000, gid: 1000 })
    expect(r.content).toContain('source: "./$$HOME-project"')
  })

  it('compose: ports on 127.0.0.1, the workspace relative to the file, the uid:gid, shm and caches', () => {
    const r = exported('compose', 'deploy/compose.yaml')
    const text = readFileSync(join(dir, 'deploy/compose.yaml'), 'utf8')
    expect(text).toBe(r.content)
    expect(text).toContain('"127.0.0.1:8000:8000/tcp"')
    expect(text).toContain('"127.0.0.1:9000:90/tcp"')
    expect(text).toMatch(/source: "\.\."\n\s+target: "\/workspace"/)
    expect(text).toContain('user: "1000:1000"')
    expect(text).toContain('shm_size: 2147483648')
    expect(text).toMatch(/envctl-cache-pip:\n\s+name: "envctl-cache-pip"/)
  })

  it('compose: GPUs as deploy.resources.reservations.devices', () => {
    const p = plan({ ref: 'pytorch', cwd: PACKAGE_ROOT, host: h100 })
    const r = exportEnvironment(p, { kind: 'compose', cwd: '/w', output: null, workspace: '/w', uid: 1000, gid: 1000 })
    expect(r.content).toMatch(/deploy:\n\s+resources:\n\s+reservations:\n\s+devices:\n\s+- driver: "nvidia"\n\s+count: "all"\n\s+capabilities:\n\s+- "gpu"/)
    expect(r.content).toMatch(/memlock:\n\s+soft: -1\n\s+hard: -1/)
  })

  it('devcontainer: the same image, user and workspace, ports as run arguments', () => {
    const r = exported('devcontainer')
    const doc = JSON.parse(r.content)
    expect(doc.image).toBe(r.image)
    expect(doc.containerUser).toBe('1000:1000')
    expect(doc.workspaceFolder).toBe('/workspace')
    expect(doc.updateRemoteUserUID).toBe(false)
    expect(doc.runArgs).toContain('--publish=127.0.0.1:8000:8000/tcp')
    expect(doc.mounts).toContain('source=envctl-cache-pip,target=/cache/pip,type=volume')
  })
})
