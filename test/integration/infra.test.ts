/**
 * Smoke test of the CI infrastructure (.ci/setup.sh) and of the integration-test helpers themselves.
 */
import { readFileSync } from 'node:fs'
import Docker from 'dockerode'
import { afterAll, expect, it } from 'vitest'
import { runCli, runProcess } from './support/cli.js'
import { removeByLabel, testMirrors, testRunId, testRunLabel, testRunLabels } from './support/cleanup.js'
import { describeEngine, engineAvailable } from './support/engine.js'
import { asUser, makeWorkspace } from './support/fixtures.js'
import { onlyInMirror, pull } from './support/registry.js'

describeEngine('CI infrastructure', () => {
  const docker = new Docker()
  const mirrors = testMirrors()
  const pipOrigin = new URL(mirrors.pipIndex).origin

  afterAll(async () => {
    await removeByLabel()
  })

  it('has an engine answering /_ping', async () => {
    expect(await engineAvailable()).toBe(true)
  })

  it('pulls Docker Hub names through the local registry mirror', async () => {
    // The probe tag exists only in the registry (Docker Hub is unreachable), so only the mirror can serve it.
    const probe = await onlyInMirror('debian:bookworm-slim', 'debian', `envctl-ci-probe-${testRunId()}`)
    await expect(docker.getImage(probe).inspect()).rejects.toThrow(/no such image/i)
    try {
      await pull(probe)
      await pull('debian:bookworm-slim')
      const pulled = await docker.getImage(probe).inspect()
      expect(pulled.Id).toBe((await docker.getImage('debian:bookworm-slim').inspect()).Id)
      expect((await docker.info()).RegistryConfig.Mirrors).toContain(`http://${mirrors.registry}/`)
    } finally {
      await docker.getImage(probe).remove().catch(() => {})
    }
  })

  it.each(['python:3.11-slim-bookworm', 'node:20-bookworm-slim', 'maven:3.9-eclipse-temurin-17'])(
    'has the stand-in %s locally',
    async (ref) => {
      const image = await docker.getImage(ref).inspect()
      expect(image.Config.Labels?.['dev.envctl.ci.stand-in']).toMatch(ref.split(':')[0])
    },
  )

  it('serves a merged PEP 503 index with index-page cache headers', async () => {
    const res = await fetch(`${mirrors.pipIndex}/numpy/`)
    expect(res.status).toBe(200)
    expect(res.headers.get('cache-control')).toBe('max-age=60')
    const body = await res.text()
    expect(body).toMatch(/href="\/files\/a\/numpy-2\.2\.6-cp311-[^"]+#sha256=[0-9a-f]{64}"/)
    expect(body).toMatch(/href="\/files\/b\/numpy-1\.24\.4-/)

    const wheel = new URL(body.match(/href="([^"#]+)#/)![1], pipOrigin)
    const head = await fetch(wheel, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  })

  it('serves torch==2.13.0+cpu under /whl/cpu like download.pytorch.org', async () => {
    const res = await fetch(`${mirrors.pytorchMirror}/cpu/torch/`)
    expect(res.status).toBe(200)
    const body = await res.text()
    const href = body.match(/href="([^"]*torch-2\.13\.0%2Bcpu-cp311-[^"#]+\.whl)#sha256=[0-9a-f]{64}"/)
    expect(href).not.toBeNull()
    const head = await fetch(new URL(href![1], pipOrigin), { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(Number(head.headers.get('content-length'))).toBeGreaterThan(100_000_000)
  })

  it.each(['/', '/files/a/%2e%2e/simple/numpy/index.html', '/files/z/x.whl', '/simple/no-such-project/'])(
    'answers 404 for %s',
    async (path) => {
      expect((await fetch(`${pipOrigin}${path}`)).status).toBe(404)
    },
  )

  it('has the unprivileged user, which can reach the engine and run the CLI', async () => {
    if (process.getuid?.() === 0) expect(readFileSync('/etc/passwd', 'utf8')).toMatch(/^envctl-ci:[^:]*:1500:/m)
    const user = asUser()
    expect(user.uid, 'the CLI must run unprivileged: as envctl-ci under root, else as the current user').not.toBe(0)
    const ws = await makeWorkspace({ 'stack/envctl.toml': '# empty\n' }, user)
    try {
      expect(await ws.owner('stack/envctl.toml')).toEqual({ uid: user.uid, gid: user.gid })
      const ping = await runProcess(
        process.execPath,
        ['-e', 'require("http").get({socketPath: "/var/run/docker.sock", path: "/_ping"}, (r) => process.exit(r.statusCode === 200 ? 0 : 1))'],
        { cwd: ws.dir, user },
      )
      expect(ping).toMatchObject({ code: 0, stderr: '' })
      const id = await runProcess('id', ['-u'], { cwd: ws.dir, user })
      expect(id.stdout.trim()).toBe(String(user.uid))
      const version = await runCli(['--version'], { cwd: ws.dir, user })
      expect(version).toMatchObject({ code: 0, stdout: expect.stringMatching(/^envctl\/\d/) })
    } finally {
      await ws.remove()
    }
  })

  it('removes what a test run labelled', async () => {
    await docker.createVolume({ Name: `envctl-it-${Date.now()}`, Labels: testRunLabels() })
    expect(await removeByLabel()).toMatchObject({ volumes: 1 })
    const { Volumes } = await docker.listVolumes({ filters: JSON.stringify({ label: [testRunLabel()] }) })
    expect(Volumes ?? []).toHaveLength(0)
  })
})
