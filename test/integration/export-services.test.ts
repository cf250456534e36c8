/**
 * Exports of a stack with a service, run by their real tools on the real engine: Debian's docker-compose 1.29
 * (`config`, `up -d` with the health-ordered start, the environment reaching the service by name, `down -v`
 * leaving nothing of the project), the @devcontainers/cli on the devcontainer.json + Compose pair, and
 * `export k8s --registry` pushing to the local registry on 127.0.0.1:5000 (the digest checked in its v2 API).
 * One service is python3's http.server from the python image, tagged under a catalog name (redis) so that
 * the catalog's data path and connection variable apply; its check is the stack's own. The other is the real
 * mysql:8.4 stand-in .ci/setup.sh pushes to the engine's mirror: its root password is a variable the export
 * names and writes to the .env beside the Compose file (0600), and the environment logs in with the connection
 * variables it got (DATABASE_URL, MYSQL_USER/MYSQL_PASSWORD), so a password that did not arrive fails the test.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import { cp, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import Docker from 'dockerode'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runCli, runProcess } from './support/cli.js'
import { removeByLabel, testRunId, testRunLabel } from './support/cleanup.js'
import { describeEngine } from './support/engine.js'
import { npmPackageOnce } from './support/npm-once.js'
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
const MYSQL_CLIENT = 'mysql2@3'
const DOCKER_CLI = '/usr/bin/docker'
const CHECK = `["python3", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/')"]`

const toml = `name = "${stack}"\nextends = "node"\n[node]\nversion = "20"\n[gpu]\nmode = "none"\n
[services.db]
image = "mysql:8.4"

[services.web]
image = "${catalogTag}"
command = ["python3", "-m", "http.server", "8000", "--directory", "/data"]
healthcheck = { command = ${CHECK}, timeout = 30 }
`
/**
 * From the environment: the web service by its name and the connection variable the catalog gives (REDIS_URL);
 * a MySQL login with DATABASE_URL and one with MYSQL_HOST/USER/PASSWORD, each printing the database it is in,
 * and one with a wrong password, which must be refused.
 */
const PROBE = `
const mysql = require('/workspace/probe/node_modules/mysql2/promise')
const e = process.env
const db = async (c) => { const [rows] = await c.query('SELECT DATABASE() AS db'); await c.end(); return rows[0].db }
;(async () => {
  const web = await fetch('http://web:8000/')
  const byUrl = await db(await mysql.createConnection(e.DATABASE_URL))
  const byVars = await db(await mysql.createConnection({ host: e.MYSQL_HOST, user: e.MYSQL_USER, password: e.MYSQL_PASSWORD, database: e.MYSQL_DATABASE }))
  // The stand-in does check the password: a wrong one is refused.
  const wrong = await mysql.createConnection({ host: e.MYSQL_HOST, user: e.MYSQL_USER, password: 'wrong' }).then((c) => c.end().then(() => 'accepted'), () => 'refused')
  console.log(web.status, e.REDIS_URL, byUrl, byVars, wrong)
})().catch((err) => { console.error(err); process.exit(1) })
`
const FROM_ENV = 'node /workspace/probe/probe.js'
const EXPECTED = '200 redis://web:6379 app app refused'
const PASSWORD_VAR = 'DB_MYSQL_ROOT_PASSWORD'

/** The value an env file gives a variable. */
const envValue = (path: string, name: string): string => new RegExp(`^${name}=(.+)$`, 'm').exec(readFileSync(path, 'utf8'))![1]!

/** The devcontainer CLI, installed once per machine (as test/integration/export.test.ts). */
async function devcontainerCli(): Promise<string> {
  return join(await npmPackageOnce(DEVCONTAINER_CLI), '@devcontainers/cli/devcontainer.js')
}

/**
 * The mysql2 client for the probe, installed once per machine from npm on the host (pure JavaScript) and copied
 * into the workspace, so that the environment's image needs no npm access to build.
 */
async function mysqlClient(): Promise<string> {
  return npmPackageOnce(MYSQL_CLIENT)
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
    ws = await makeWorkspace({ 'envctl.toml': toml, 'hello.txt': 'hi\n', 'probe/probe.js': PROBE })
    await cp(await mysqlClient(), ws.path('probe/node_modules'), { recursive: true })
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

  it('compose: the password only in .env (0600); up -d starts the services healthy first, the environment logs in with its variables, down -v leaves nothing', async () => {
    const r = await runCli(['export', 'compose', '-o', 'compose.yaml'], { cwd: ws.dir, user: ws.user })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toMatch(new RegExp(`\\.env \\(0600\\): ${PASSWORD_VAR}: new passwords`))
    const password = envValue(ws.path('.env'), PASSWORD_VAR)
    expect(statSync(ws.path('.env')).mode & 0o777).toBe(0o600)
    expect(readFileSync(ws.path('compose.yaml'), 'utf8')).not.toContain(password)
    const compose = (args: string[], timeoutMs = 60_000) => runProcess('docker-compose', ['-p', project, ...args], { cwd: ws.dir, user: ws.user, timeoutMs })
    const config = await compose(['config', '-q'])
    expect(config.code, config.stderr).toBe(0)
    // Without the value, Compose refuses the file and says where the value goes.
    await writeFile(ws.path('empty.env'), '')
    const missing = await compose(['--env-file', ws.path('empty.env'), 'config', '-q'])
    expect(missing.code).not.toBe(0)
    expect(missing.stderr).toMatch(/set it in the \.env file beside this Compose file/)
    const up = await compose(['up', '-d'], 240_000)
    expect(up.code, up.stderr).toBe(0)
    const service = async (name: string) => {
      const [c] = await docker.listContainers({ filters: JSON.stringify({ label: [`com.docker.compose.project=${project}`, `com.docker.compose.service=${name}`] }) })
      return docker.getContainer(c!.Id).inspect()
    }
    expect((await service('web')).State.Health?.Status).toBe('healthy')
    const db = await service('db')
    expect(db.State.Health?.Status).toBe('healthy')
    expect(db.Config.Env).toContain(`MYSQL_ROOT_PASSWORD=${password}`)
    const exec = await compose(['exec', '-T', stack, 'sh', '-c', FROM_ENV])
    expect(exec.code, exec.stderr).toBe(0)
    expect(exec.stdout.trim()).toBe(EXPECTED)
    expect((await leftovers(project)).volumes).toBe(2)
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
    // The CLI runs Compose with `-f .devcontainer/compose.yaml` and no project folder, so Compose reads .env from there.
    expect(envValue(ws.path('.devcontainer/.env'), PASSWORD_VAR)).toMatch(/^[A-Za-z0-9_-]{24}$/)
    const common = ['--workspace-folder', ws.dir, '--docker-path', DOCKER_CLI, '--docker-compose-path', 'docker-compose', '--id-label', testRunLabel()]
    const up = await runProcess(process.execPath, [cli, 'up', ...common], { cwd: ws.dir, user: ws.user, timeoutMs: 180_000 })
    expect(up.code, up.stderr + up.stdout).toBe(0)
    expect(JSON.parse(up.stdout.trim().split('\n').pop()!)).toMatchObject({ outcome: 'success', remoteWorkspaceFolder: '/workspace' })
    const exec = await runProcess(process.execPath, [cli, 'exec', ...common, 'sh', '-c', `id -u; id -g; pwd; cat hello.txt; ${FROM_ENV}`], { cwd: ws.dir, user: ws.user })
    expect(exec.code, exec.stderr).toBe(0)
    expect(exec.stdout.trim().split('\n')).toEqual([String(ws.user.uid), String(ws.user.gid), '/workspace', 'hi', EXPECTED])
  }, 300_000)

  it('k8s --registry: pushes the image through the engine and names it by the digest the registry holds', async () => {
    const r = await runCli(['export', 'k8s', '--registry', `${REGISTRY}/${prefix}`, '-o', 'k8s.yaml', '--json'], { cwd: ws.dir, user: ws.user, timeoutMs: 300_000 })
    expect(r.code, r.stderr).toBe(0)
    const { pushed, image: built } = r.json as { image: string; pushed: { tag: string; digest: string; ref: string } }
    expect(built).toBe(image)
    expect(pushed.tag).toBe(`${REGISTRY}/${prefix}/${stack}:${image.split(':')[1]}`)
    expect(pushed.digest).toMatch(/^sha256:[0-9a-f]{64}$/)
    const manifests = readFileSync(ws.path('k8s.yaml'), 'utf8')
    expect(manifests).toContain(`image: "${REGISTRY}/${prefix}/${stack}@${pushed.digest}"`)
    // The password is in the env file the Secret is made from, not in the manifests.
    expect((r.json as { secrets: { file: string } }).secrets.file).toBe(`${stack}-secrets.env`)
    expect(statSync(ws.path(`${stack}-secrets.env`)).mode & 0o777).toBe(0o600)
    expect(manifests).not.toContain(envValue(ws.path(`${stack}-secrets.env`), PASSWORD_VAR))
    expect(manifests).toContain(`value: "mysql://root:$(${PASSWORD_VAR})@db:3306/app"`)
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
