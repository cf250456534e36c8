/**
 * A remote engine over tcp+TLS: a test host in its own network namespace (side-engine.ts, remote mode),
 * reached on a veth pair with certificates made by openssl here. `up` builds there with the stack's
 * `workspace = "remote:…"`, `exec` sees that folder, a wrong certificate is refused clearly, and the CI
 * engine never sees any of it. The test host shares this file system, so the remote folder is made apart
 * from the local workspace, with different contents: what /workspace shows says which one was mounted.
 */
import { createHash } from 'node:crypto'
import { chmod, copyFile, mkdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import Docker from 'dockerode'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { testRunId } from './support/cleanup.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'
import { remoteCli } from './support/remote-cli.js'
import { describeSideEngine, SideEngine } from './support/side-engine.js'
import { makeCa } from './support/tls-certs.js'

const id = testRunId().replace(/[^a-z0-9]/g, '')
const env = `rmt-${id}`
const BASE = 'node:20-bookworm-slim'

const stack = (workspace?: string, ca?: string) =>
  [`name = "${env}"`, ...(workspace ? [`workspace = "${workspace}"`] : []), '[node]\nversion = "20"', ...(ca ? [`[network]\nca_bundle = "${ca}"`] : []), ''].join('\n')

describeSideEngine('a remote engine over tcp+TLS', () => {
  let engine: SideEngine
  let ws: Workspace
  let state: Workspace
  let remoteDir: string

  const { envctl, ok } = remoteCli(() => ({ engine, ws, state }))

  beforeAll(async () => {
    engine = await SideEngine.start({ remote: true })
    await engine.loadImage(BASE)
    remoteDir = join(engine.dir, 'srv', 'project')
    await mkdir(remoteDir, { recursive: true, mode: 0o755 })
    await chmod(engine.dir, 0o755)
    await writeFile(join(remoteDir, 'where.txt'), 'on the engine host\n', { mode: 0o644 })
    ws = await makeWorkspace({ 'envctl.toml': stack(), 'where.txt': 'on the laptop\n' })
    state = await makeWorkspace()
  }, 120_000)

  afterAll(async () => {
    await engine?.teardown()
    await ws?.remove()
    await state?.remove()
  })

  it('doctor and ls name the engine and that DOCKER_HOST chose it', async () => {
    const r = ok(await envctl(['ls']))
    expect(r.stderr).toContain(`engine: ${engine.remote!.tcpHost}, chosen by env DOCKER_HOST`)
    const doctor = await envctl(['doctor', '--json'])
    const checks = (doctor.json as { checks: Array<{ name: string; status: string; detail: string }> }).checks
    expect(checks.find((c) => c.name === 'engine')).toMatchObject({ status: 'ok', detail: expect.stringMatching(new RegExp(`at ${engine.remote!.tcpHost}, chosen by env DOCKER_HOST$`)) })
  })

  it('up builds on the remote engine with the remote folder as /workspace, and exec works there; the CA bundle is copied in, not mounted', async () => {
    const ca = await readFile(join(engine.remote!.certDir, 'ca.pem'), 'utf8')
    await writeFile(ws.path('team-ca.pem'), ca, { mode: 0o644 })
    await writeFile(ws.path('envctl.toml'), stack(`remote:${remoteDir}`, 'team-ca.pem'))
    const up = ok(await envctl(['up', '--json']))
    const result = up.json as { containerId: string; notes: string[]; mounts: Array<{ source: string; target: string }> }
    expect(result.notes).toContainEqual(expect.stringContaining(`workspace: ${remoteDir} on the engine's host (${engine.remote!.tcpHost})`))
    expect(result.mounts).toContainEqual({ source: remoteDir, target: '/workspace' })
    const { containerId } = result
    expect((await engine.docker.getContainer(containerId).inspect()).State.Running).toBe(true)
    const exec = ok(await envctl(['exec', '--', 'sh', '-c', 'cat /workspace/where.txt; node --version']))
    expect(exec.stdout).toMatch(/^on the engine host\nv20\./)
    const inside = ok(await envctl(['exec', '--', 'cat', '/run/envctl/ca.pem']))
    expect(inside.stdout).toBe(ca)
    expect(result.mounts.map((m) => m.target)).not.toContain('/run/envctl/ca.pem')
    // For people, the same line on stderr: up again finds it running.
    const again = ok(await envctl(['up']))
    expect(again.stderr).toContain(`workspace: ${remoteDir} on the engine's host`)
    const third = ok(await envctl(['up', '--json']))
    expect(third.json).toMatchObject({ action: 'running', containerId })
  }, 150_000)

  it('a Docker context with its TLS files reaches the same engine: ls finds the environment and says which context', async () => {
    const cfg = join(state.dir, 'docker-config')
    const sha = createHash('sha256').update('rmt').digest('hex')
    await mkdir(join(cfg, 'contexts/meta', sha), { recursive: true })
    await writeFile(join(cfg, 'contexts/meta', sha, 'meta.json'), JSON.stringify({ Name: 'rmt', Metadata: {}, Endpoints: { docker: { Host: engine.remote!.tcpHost, SkipTLSVerify: false } } }))
    const tls = join(cfg, 'contexts/tls', sha, 'docker')
    await mkdir(tls, { recursive: true })
    for (const f of ['ca.pem', 'cert.pem', 'key.pem']) await copyFile(join(engine.remote!.certDir, f), join(tls, f))
    await writeFile(join(cfg, 'config.json'), JSON.stringify({ currentContext: 'rmt' }))
    const r = ok(await envctl(['ls'], { DOCKER_CONFIG: cfg, DOCKER_HOST: undefined, DOCKER_TLS_VERIFY: undefined, DOCKER_CERT_PATH: undefined }))
    expect(r.stderr).toContain(`engine: ${engine.remote!.tcpHost}, chosen by context "rmt" (currentContext in ${join(cfg, 'config.json')})`)
    expect(r.stdout).toContain(env)
  })

  it('never touches the local engine: no container or image of this test there', async () => {
    const local = new Docker()
    expect(await local.listContainers({ all: true, filters: { label: [`dev.envctl.project=${env}`] } })).toEqual([])
    expect((await local.listImages()).flatMap((i) => i.RepoTags ?? []).filter((t) => t.includes(env))).toEqual([])
  })

  it('a client certificate from another CA is refused with the certificate folder named', async () => {
    const other = join(state.dir, 'other-ca')
    await makeCa(other, 'not-the-engines-ca')
    const r = await envctl(['ls'], { DOCKER_CERT_PATH: other })
    expect(r.code).toBe(10)
    expect(r.stderr).toContain(`error[ENGINE_UNREACHABLE]: cannot reach the Docker engine at ${engine.remote!.tcpHost}: the TLS handshake failed`)
    expect(r.stderr).toContain(`with the certificates in ${other} (from DOCKER_CERT_PATH)`)
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })
})
