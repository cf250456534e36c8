/**
 * The exports, each run by its real tool on a real engine: Debian's docker-compose 1.29 (`config`, `up -d`,
 * `down`), the @devcontainers/cli (`up`, `exec`), and a plain `docker build` of `envctl dockerfile -o`.
 * Kubernetes manifests are checked in test/unit/export (no API server runs here).
 */
import { readdirSync, readFileSync, realpathSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import Docker from 'dockerode'
import { describeEngine } from './support/engine.js'
import { npmPackageOnce } from './support/npm-once.js'
import { repoRoot, runCli, runProcess } from './support/cli.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'
import { removeByLabel, testRunId, testRunLabel } from './support/cleanup.js'

const docker = new Docker()
const id = testRunId().replace(/[^a-z0-9]/g, '')
const stack = `it-export-${id}`
const caStack = `it-export-ca-${id}`
const project = `itexport${id}`
const port = 20000 + (parseInt(id.slice(-4), 36) % 20000)
const HOST_BUNDLE = '/etc/ssl/certs/ca-certificates.crt'
const DEVCONTAINER_CLI = '@devcontainers/cli@0.89.0'
/** The Docker 20.10 CLI: BuildKit without the buildx plugin, which this machine's newer CLI lacks. */
const DOCKER_CLI = '/usr/bin/docker'

function toml(name: string, extra = ''): string {
  return `name = "${name}"\n[node]\nversion = "20"\n[gpu]\nmode = "none"\n${extra}`
}

/** The devcontainer CLI, installed once per machine (not a dependency of envctl). */
async function devcontainerCli(): Promise<string> {
  return join(await npmPackageOnce(DEVCONTAINER_CLI), '@devcontainers/cli/devcontainer.js')
}

async function removeImages(name: string): Promise<void> {
  for (const img of await docker.listImages({ filters: JSON.stringify({ reference: [`envctl/${name}`] }) })) await docker.getImage(img.Id).remove({ force: true }).catch(() => {})
}

describeEngine('exports run by their real tools', () => {
  let ws: Workspace
  let image: string

  beforeAll(async () => {
    ws = await makeWorkspace({ 'envctl.toml': toml(stack, `[run]\nports = ["${port}"]\n`), 'hello.txt': 'hi\n' })
    const r = await runCli(['build', '--json'], { cwd: ws.dir, user: ws.user })
    expect(r.code, r.stderr).toBe(0)
    image = (r.json as { image: string }).image
  }, 300_000)

  afterAll(async () => {
    await runProcess('docker-compose', ['-p', project, 'down'], { cwd: ws.dir, user: ws.user }).catch(() => {})
    for (const c of await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`com.docker.compose.project=${project}`] }) })) await docker.getContainer(c.Id).remove({ force: true })
    await removeByLabel(testRunLabel())
    await removeImages(stack)
    await ws?.remove()
  })

  it('compose: docker-compose 1.29 accepts the golden export of every built-in stack (CPU and GPU), of the service examples and of every service field', async () => {
    const golden = join(repoRoot, 'test/fixtures/export')
    for (const f of readdirSync(golden).filter((n) => n.endsWith('.compose.yaml'))) {
      // The services' passwords are variables the export's .env gives (export-services.test.ts writes and uses one).
      const variables = [...new Set([...readFileSync(join(golden, f), 'utf8').matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1]))]
      await writeFile(ws.path('golden.env'), variables.map((v) => `${v}=pw\n`).join(''))
      const r = await runProcess('docker-compose', ['-p', project, '--env-file', ws.path('golden.env'), '-f', join(golden, f), 'config', '-q'], { cwd: ws.dir, user: ws.user })
      expect(r.code, `${f}: ${r.stderr}`).toBe(0)
    }
  })

  it('compose: docker-compose config accepts it, up -d runs the image with the workspace, the user and the port', async () => {
    const r = await runCli(['export', 'compose', '-o', 'compose.yaml', '--json'], { cwd: ws.dir, user: ws.user })
    expect(r.code, r.stderr).toBe(0)
    expect((r.json as { image: string }).image).toBe(image)
    const config = await runProcess('docker-compose', ['-p', project, 'config', '-q'], { cwd: ws.dir, user: ws.user })
    expect(config.code, config.stderr).toBe(0)
    const up = await runProcess('docker-compose', ['-p', project, 'up', '-d'], { cwd: ws.dir, user: ws.user, timeoutMs: 120_000 })
    expect(up.code, up.stderr).toBe(0)
    const [c] = await docker.listContainers({ filters: JSON.stringify({ label: [`com.docker.compose.project=${project}`] }) })
    const info = await docker.getContainer(c.Id).inspect()
    expect(info.Config.Image).toBe(image)
    expect(info.Config.User).toBe(`${ws.user.uid}:${ws.user.gid}`)
    expect(info.Mounts.find((m) => m.Destination === '/workspace')?.Source).toBe(realpathSync(ws.dir))
    expect(info.Mounts.find((m) => m.Destination === '/cache/npm')?.Name).toBe('envctl-cache-npm')
    expect(info.HostConfig.PortBindings).toEqual({ [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: String(port) }] })
    expect(info.HostConfig.ShmSize).toBe(2 ** 31)
    const down = await runProcess('docker-compose', ['-p', project, 'down'], { cwd: ws.dir, user: ws.user })
    expect(down.code, down.stderr).toBe(0)
    expect(await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`com.docker.compose.project=${project}`] }) })).toHaveLength(0)
  }, 180_000)

  it('devcontainer: the devcontainer CLI starts the image and exec sees the workspace as the user', async () => {
    const cli = await devcontainerCli()
    const r = await runCli(['export', 'devcontainer', '-o', '.devcontainer/devcontainer.json'], { cwd: ws.dir, user: ws.user })
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(readFileSync(ws.path('.devcontainer/devcontainer.json'), 'utf8')).image).toBe(image)
    const common = ['--workspace-folder', ws.dir, '--docker-path', DOCKER_CLI, '--id-label', testRunLabel()]
    const up = await runProcess(process.execPath, [cli, 'up', ...common], { cwd: ws.dir, user: ws.user, timeoutMs: 120_000 })
    expect(up.code, up.stderr + up.stdout).toBe(0)
    expect(JSON.parse(up.stdout.trim().split('\n').pop()!)).toMatchObject({ outcome: 'success', remoteWorkspaceFolder: '/workspace' })
    const exec = await runProcess(process.execPath, [cli, 'exec', ...common, 'sh', '-c', 'id -u; id -g; pwd; cat hello.txt'], { cwd: ws.dir, user: ws.user })
    expect(exec.code, exec.stderr).toBe(0)
    expect(exec.stdout.trim().split('\n')).toEqual([String(ws.user.uid), String(ws.user.gid), '/workspace', 'hi'])
  }, 240_000)

  it('dockerfile -o writes the CA bundle the Dockerfile mounts: a plain docker build of the folder succeeds', async () => {
    const ca = await makeWorkspace({ 'envctl.toml': toml(caStack, `[packages]\nnpm = ["left-pad"]\n[network]\nca_bundle = "${HOST_BUNDLE}"\n`) })
    try {
      const r = await runCli(['dockerfile', '-o', 'out/Dockerfile'], { cwd: ca.dir, user: ca.user })
      expect(r.code, r.stderr).toBe(0)
      expect(readFileSync(ca.path('out/Dockerfile'), 'utf8')).toContain('source=envctl-ca.pem')
      expect(readFileSync(ca.path('out/envctl-ca.pem'))).toEqual(readFileSync(HOST_BUNDLE))
      const build = await runProcess(DOCKER_CLI, ['build', '-q', '--label', testRunLabel(), '-t', `envctl/${caStack}:export`, 'out'], { cwd: ca.dir, user: ca.user, env: { DOCKER_BUILDKIT: '1' }, timeoutMs: 300_000 })
      expect(build.code, build.stderr).toBe(0)
    } finally {
      await removeImages(caStack)
      await ca.remove()
    }
  }, 320_000)
})
