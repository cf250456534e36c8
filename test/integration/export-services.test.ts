/**
 * Exports of a stack with a service, run by their real tools on the real engine: Debian's docker-compose 1.29
 * (`config`, `up -d` with the health-ordered start, the environment reaching the service by name, `down -v`
 * leaving nothing of the project), the @devcontainers/cli on the devcontainer.json + Compose pair, and
 * `export k8s --registry` pushing to the local registry on 127.0.0.1:5000 (the digest checked in its v2 API).
 * The service is python3's http.server from the python image, tagged under a catalog name (redis) so that
 * the catalog's data path and connection variable apply; its check is the stack's own.
 */
import { existsSync, readFileSync } from 'node:fs'
import { chmod, mkdtemp, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Docker from 'dockerode'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runCli, runProcess } from './support/cli.js'
import { removeByLabel, testRunId, testRunLabel } from './support/cleanup.js'
import { describeEngine } from './support/engine.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'

const docker = new Docker()
const id = testRunId().replace(/[^a-z0-9]/g, '')
const stack = `it-expsvc-${id}`
const project = `itexpsvc${id}`
const PYTHON = 'python:3.11-slim-bookworm'
const catalogTag = `redis:envctl-it-export-${id}`
const REGISTRY = '127.0.0.1:5000'
const prefix = `envctl-it-${id}`
const DEVCONTAINER_CLI = '@devcontainers/cli@0.89.0'
const DOCKER_CLI = '/usr/bin/docker'
const CHECK = `["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/')"]`

const toml = `name = "${stack}"\nextends = "node"\n[node]\nversion = "20"\n[gpu]\nmode = "none"\n
[services.web]
image = "${catalogTag}"
command = ["python3", "-m", "http.server", "8000", "--directory", "/data"]
healthcheck = { command = ${CHECK}, timeout = 30 }
`
/** From the environment: the service by its name, and the connection variable the catalog gives (REDIS_URL). */
const FROM_ENV = `node -e "fetch('http://web:8000/').then((r) => console.log(r.status, process.env.REDIS_URL))"`

/** The devcontainer CLI from npm, installed once per machine into the temp folder (as test/integration/export.test.ts). */
async function devcontainerCli(): Promise<string> {
  const dir = join(tmpdir(), `envctl-${DEVCONTAINER_CLI.replace(/^@/, '').replace(/[@/]/g, '-')}`)
  const bin = join(dir, 'node_modules/@devcontainers/cli/devcontainer.js')
  if (existsSync(bin)) return bin
  const part = await mkdtemp(join(tmpdir(), 'envctl-devcontainer-cli-'))
  const r = await runProcess('npm', ['install', '--prefix', part, '--no-audit', '--no-fund', DEVCONTAINER_CLI], { cwd: part, timeoutMs: 120_000 })
  if (r.code !== 0) throw new Error(`npm install ${DEVCONTAINER_CLI} failed:\n${r.stderr}`)
  await chmod(part, 0o755)
  await rename(part, dir).catch(() => rm(part, { recursive: true, force: true }))
  return bin
}

/** What a Compose project left in the engine, by Compose's own label. */
async function leftovers(name: string) {
  const filters = JSON.stringify({ label: [`com.docker.compose.project=${name}`] })
  return {
    containers: (await docker.listContainers({ all: true, filters })).length,
    networks: (await docker.listNetworks({ filters })).length,
    volumes: ((await docker.listVolumes({ filters })).Volumes ?? []).length,
  }
}

async function removeProject(name: string): Promise<void> {
  const filters = JSON.stringify({ label: [`com.docker.compose.project=${name}`] })
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => {})
  for (const v of (await docker.listVolumes({ filters })).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => {})
  for (const n of await docker.listNetworks({ filters })) await docker.getNetwork(n.Id).remove().catch(() => {})
}

describeEngine('exports of a stack with a service, run by their real tools', () => {
  let ws: Workspace
  let image: string

  beforeAll(async () => {
    const [repo, tag] = catalogTag.split(':')
    await docker.getImage(PYTHON).tag({ repo, tag })
    ws = await makeWorkspace({ 'envctl.toml': toml, 'hello.txt': 'hi\n' })
    const r = await runCli(['build', '--json'], { cwd: ws.dir, user: ws.user, timeoutMs: 300_000 })
    expect(r.code, r.stderr).toBe(0)
    image = (r.json as { image: string }).image
  }, 320_000)

  afterAll(async () => {
    // The devcontainer CLI names its Compose project after the folder; Compose labels it with the file's folder.
    const dev = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`com.docker.compose.project.working_dir=${ws?.dir}/.devcontainer`] }) })
    for (const p of new Set([project, ...dev.map((c) => c.Labels['com.docker.compose.project']!)])) await removeProject(p)
    await removeByLabel(testRunLabel())
    // Every tag of this stack's image (the build's and the locked one), the pushed tag and the catalog stand-in.
    const tags = (await docker.listImages({ filters: JSON.stringify({ reference: [`envctl/${stack}`] }) })).flatMap((i) => i.RepoTags ?? [])
    for (const ref of [catalogTag, `${REGISTRY}/${prefix}/${stack}:${image?.split(':')[1]}`, ...tags]) await docker.getImage(ref).remove().catch(() => {})
    await ws?.remove()
  }, 60_000)

  it('compose: up -d starts the service healthy first, the environment reaches it by name, down -v leaves nothing', async () => {
    const r = await runCli(['export', 'compose', '-o', 'compose.yaml'], { cwd: ws.dir, user: ws.user })
    expect(r.code, r.stderr).toBe(0)
    const compose = (args: string[], timeoutMs = 60_000) => runProcess('docker-compose', ['-p', project, ...args], { cwd: ws.dir, user: ws.user, timeoutMs })
    const config = await compose(['config', '-q'])
    expect(config.code, config.stderr).toBe(0)
    const up = await compose(['up', '-d'], 180_000)
    expect(up.code, up.stderr).toBe(0)
    const [web] = await docker.listContainers({ filters: JSON.stringify({ label: [`com.docker.compose.project=${project}`, 'com.docker.compose.service=web'] }) })
    expect((await docker.getContainer(web!.Id).inspect()).State.Health?.Status).toBe('healthy')
    const exec = await compose(['exec', '-T', stack, 'sh', '-c', FROM_ENV])
    expect(exec.code, exec.stderr).toBe(0)
    expect(exec.stdout.trim()).toBe('200 redis://web:6379')
    expect((await leftovers(project)).volumes).toBe(1)
    const down = await compose(['down', '-v'])
    expect(down.code, down.stderr).toBe(0)
    expect(await leftovers(project)).toEqual({ containers: 0, networks: 0, volumes: 0 })
    // The shared cache is envctl's (external), not the project's: down -v keeps it.
    expect((await docker.listVolumes({ filters: JSON.stringify({ name: ['envctl-cache-npm'] }) })).Volumes?.map((v) => v.Name)).toContain('envctl-cache-npm')
  }, 300_000)

  it('devcontainer: the CLI starts the Compose pair; exec sees the workspace, the user and the service by name', async () => {
    const cli = await devcontainerCli()
    const r = await runCli(['export', 'devcontainer', '-o', '.devcontainer/devcontainer.json'], { cwd: ws.dir, user: ws.user })
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(readFileSync(ws.path('.devcontainer/devcontainer.json'), 'utf8'))).toMatchObject({ dockerComposeFile: 'compose.yaml', service: stack })
    const common = ['--workspace-folder', ws.dir, '--docker-path', DOCKER_CLI, '--docker-compose-path', 'docker-compose', '--id-label', testRunLabel()]
    const up = await runProcess(process.execPath, [cli, 'up', ...common], { cwd: ws.dir, user: ws.user, timeoutMs: 180_000 })
    expect(up.code, up.stderr + up.stdout).toBe(0)
    expect(JSON.parse(up.stdout.trim().split('\n').pop()!)).toMatchObject({ outcome: 'success', remoteWorkspaceFolder: '/workspace' })
    const exec = await runProcess(process.execPath, [cli, 'exec', ...common, 'sh', '-c', `id -u; id -g; pwd; cat hello.txt; ${FROM_ENV}`], { cwd: ws.dir, user: ws.user })
    expect(exec.code, exec.stderr).toBe(0)
    expect(exec.stdout.trim().split('\n')).toEqual([String(ws.user.uid), String(ws.user.gid), '/workspace', 'hi', '200 redis://web:6379'])
  }, 300_000)

  it('k8s --registry: pushes the image through the engine and names it by the digest the registry holds', async () => {
    const r = await runCli(['export', 'k8s', '--registry', `${REGISTRY}/${prefix}`, '-o', 'k8s.yaml', '--json'], { cwd: ws.dir, user: ws.user, timeoutMs: 300_000 })
    expect(r.code, r.stderr).toBe(0)
    const { pushed, image: built } = r.json as { image: string; pushed: { tag: string; digest: string; ref: string } }
    expect(built).toBe(image)
    expect(pushed.tag).toBe(`${REGISTRY}/${prefix}/${stack}:${image.split(':')[1]}`)
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    expect(readFileSync(ws.path('k8s.yaml'), 'utf8')).toContain(`image: "${REGISTRY}/${prefix}/${stack}@${pushed.digest}"`)
    const manifest = await fetch(`http://${REGISTRY}/v2/${prefix}/${stack}/manifests/${pushed.digest}`, {
      method: 'HEAD',
      headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json' },
    })
    expect(manifest.status).toBe(200)
    expect(manifest.headers.get('docker-content-digest')).toBe(pushed.digest)
  }, 320_000)

  it('k8s --registry: a registry that does not answer is PUSH_FAILED, and the tag made for it is gone', async () => {
    const dead = `127.0.0.1:9/${prefix}`
    const r = await runCli(['export', 'k8s', '--registry', dead, '-o', 'k8s-dead.yaml', '--json'], { cwd: ws.dir, user: ws.user, timeoutMs: 120_000 })
    expect(r.code).toBe(23)
    expect((r.json as { error: { code: string; message: string } }).error).toMatchObject({ code: 'PUSH_FAILED', message: expect.stringContaining(`cannot push ${dead}/${stack}:`) })
    expect(existsSync(ws.path('k8s-dead.yaml'))).toBe(false)
    expect(await docker.listImages({ filters: JSON.stringify({ reference: [`${dead}/${stack}`] }) })).toHaveLength(0)
  }, 150_000)
})
