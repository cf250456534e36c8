/**
 * The three service examples, each copied into a fresh workspace as a clone has it, brought up on the real
 * engine: their services (the stand-in images .ci/setup.sh pushes under their Docker Hub names, pulled through
 * the engine's mirror) healthy, reached BY NAME from the dev container with a real login or PING using only the
 * connection variables the environment got, the generated password kept 0600 in the state folder and nowhere
 * else, the images pinned by digest in envctl.lock; then `down --volumes` leaves nothing. Also: the password stays
 * with the data through `down` and `up`, and a failed first up takes it away again. The examples run one after
 * another; pytorch-postgres reuses the pytorch CPU build the other tests cache.
 */
import { chown, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import Docker from 'dockerode'
import { afterAll, expect, it } from 'vitest'
import { repoRoot, runCli, type RunResult } from './support/cli.js'
import { removeByLabel, testMirrors, testRunId } from './support/cleanup.js'
import { describeEngine } from './support/engine.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'
import { isolatedEnv } from '../support/isolated-env.js'

const id = testRunId().replace(/[^a-z0-9]/g, '').slice(-10)
const mirrors = testMirrors()
const mysqlProbe = readFile(join(repoRoot, 'test/fixtures/service-probes/MysqlProbe.java'), 'utf8')

interface UpJson {
  container: string
  services: Array<{ name: string; container: string; action: string }>
}
interface LsJson {
  container: string
  services: Array<{ name: string; status: string; image: string; digest: string | null }>
}

/** A MySQL query (its first row's `db`, or 'done' for a statement without rows) and a Redis PING. */
const nodeProbe = (sql: string) => `
const root = require('child_process').execSync('npm root -g').toString().trim()
const mysql = require(root + '/mysql2/promise')
const { createClient } = require(root + '/redis')
;(async () => {
  const e = process.env
  const c = await mysql.createConnection({ host: e.MYSQL_HOST, user: e.MYSQL_USER, password: e.MYSQL_PASSWORD, database: e.MYSQL_DATABASE })
  const [rows] = await c.query(${JSON.stringify(sql)})
  await c.end()
  const r = createClient({ url: e.REDIS_URL })
  await r.connect()
  const pong = await r.ping()
  await r.quit()
  console.log(JSON.stringify({ db: Array.isArray(rows) ? rows[0].db : 'done', pong }))
})().catch((err) => { console.error(err); process.exit(1) })
`
const PG_PROBE = "import os, psycopg\nwith psycopg.connect(os.environ['DATABASE_URL']) as c:\n    print(c.execute('select current_database(), current_user').fetchone())"

interface Example {
  dir: string
  services: string[]
  /** The password the catalog generates, by service. */
  secret: Record<string, string>
  /** Talks to every service from the dev container; resolves to what it printed. */
  probe: (envctl: Cli, name: string) => Promise<string>
  expected: RegExp
  timeoutMs: number
}

type Cli = (args: string[], input?: string) => Promise<RunResult>

const EXAMPLES: Example[] = [
  {
    dir: 'node-mysql-redis',
    services: ['cache', 'db'],
    secret: { db: 'MYSQL_ROOT_PASSWORD' },
    probe: (envctl, name) => must(envctl(['exec', name, '--', 'node', '-e', nodeProbe('SELECT DATABASE() AS db')])),
    expected: /^\{"db":"shop","pong":"PONG"\}$/,
    timeoutMs: 600_000,
  },
  {
    dir: 'spring-mysql',
    services: ['db'],
    secret: { db: 'MYSQL_ROOT_PASSWORD' },
    probe: async (envctl, name) => must(envctl(['exec', '-i', name, '--', 'sh', '-c', 'cat > /tmp/MysqlProbe.java && java /tmp/MysqlProbe.java'], await mysqlProbe)),
    expected: /MariaDB.* app$/,
    timeoutMs: 600_000,
  },
  {
    dir: 'pytorch-postgres',
    services: ['results'],
    secret: { results: 'POSTGRES_PASSWORD' },
    probe: (envctl, name) => must(envctl(['exec', name, '--', 'python', '-c', PG_PROBE])),
    expected: /^\('experiments', 'postgres'\)$/,
    timeoutMs: 900_000,
  },
]

async function must(p: Promise<RunResult>): Promise<string> {
  const r = await p
  if (r.code !== 0) throw new Error(`exit ${r.code}:\n${r.stdout}\n${r.stderr}`)
  return r.stdout.trim()
}

/** A fresh clone of an example: its files as committed, owned by the user who runs envctl. */
async function cloneExample(dir: string): Promise<Workspace> {
  const from = join(repoRoot, 'examples', dir)
  const files: Record<string, string> = {}
  for (const f of await readdir(from)) files[f] = await readFile(join(from, f), 'utf8')
  return makeWorkspace(files)
}

/**
 * The user's own config, as someone behind mirrors and a TLS-inspecting proxy writes it: the machine's pip
 * index, builds on the host network, the machine's CA bundle (npm's registry is reached through the proxy).
 */
async function userConfig(ws: Workspace): Promise<void> {
  const dir = join(isolatedEnv(ws.user).XDG_CONFIG_HOME, 'envctl')
  await mkdir(dir, { recursive: true })
  const file = join(dir, 'config.toml')
  await writeFile(file, `[mirrors]\npip = "${mirrors.pipIndex}"\npytorch = "${mirrors.pytorchMirror}"\n\n[network]\nbuild_network = "host"\nca_bundle = "/etc/ssl/certs/ca-certificates.crt"\n`)
  await chown(dir, ws.user.uid, ws.user.gid)
  await chown(file, ws.user.uid, ws.user.gid)
}

describeEngine('the service examples, from a fresh clone', () => {
  const docker = new Docker()
  const names: string[] = []
  const labelled = (label: string) => JSON.stringify({ label: [label] })

  async function leftovers(name: string) {
    const env = labelled(`dev.envctl.project=${name}`)
    const svc = labelled(`dev.envctl.service-env=${name}`)
    return {
      containers: (await docker.listContainers({ all: true, filters: env })).length + (await docker.listContainers({ all: true, filters: svc })).length,
      networks: (await docker.listNetworks({ filters: svc })).length,
      volumes: ((await docker.listVolumes({ filters: svc })).Volumes ?? []).length,
    }
  }

  afterAll(async () => {
    for (const name of names) {
      await removeByLabel(`dev.envctl.project=${name}`)
      await removeByLabel(`dev.envctl.service-env=${name}`)
    }
  }, 120_000)

  for (const ex of EXAMPLES) {
    it(
      `${ex.dir}: services healthy, reached by name with the generated password, and down --volumes leaves nothing`,
      async () => {
        const ws = await cloneExample(ex.dir)
        await userConfig(ws)
        const name = `ex-${ex.dir.split('-')[0]}-${id}`
        names.push(name)
        const envctl: Cli = (args, input) => runCli(args, { cwd: ws.dir, user: ws.user, input, timeoutMs: ex.timeoutMs })
        const stateDir = join(isolatedEnv(ws.user).XDG_STATE_HOME, 'envctl')

        const up = await envctl(['up', '--name', name, '--gpus', 'none', '--json'])
        if (up.code !== 0) throw new Error(`envctl up failed (${up.code}):\n${up.stdout}\n${up.stderr}`)
        const result = up.json as UpJson
        expect(result.services.map((s) => s.name).sort()).toEqual(ex.services)

        // Every service running (up waited for each health check); run by the digest envctl.lock pins.
        const ls = (await envctl(['ls', '--json'])).json as LsJson[]
        const listed = ls.find((e) => e.container === result.container)!
        expect(listed.services.map((s) => [s.name, s.status]).sort()).toEqual(ex.services.map((s) => [s, 'running']))
        const lock = await ws.read('envctl.lock')
        for (const s of listed.services) {
          expect(s.digest, `${s.name} runs ${s.image}`).toMatch(/^sha256:[a-f0-9]{64}$/)
          expect(lock).toContain(`[services.${s.name}]\ndigest = "${s.digest}"\nimage = "${s.image}"`)
          const inspected = await docker.getContainer(result.services.find((r) => r.name === s.name)!.container).inspect()
          expect(inspected.Config.Image).toMatch(new RegExp(`@${s.digest}$`))
        }

        // The generated passwords: 0600 in the state folder, and in no file, label or output of envctl.
        const secretsFile = join(stateDir, 'services', `${result.container}.json`)
        expect((await stat(secretsFile)).mode & 0o777).toBe(0o600)
        const secrets = JSON.parse(await readFile(secretsFile, 'utf8')) as Record<string, Record<string, string>>
        for (const [service, variable] of Object.entries(ex.secret)) {
          const password = secrets[service]?.[variable]
          expect(password, `${service} ${variable}`).toMatch(/^[A-Za-z0-9_-]{24}$/)
          const inspected = await docker.getContainer(result.services.find((s) => s.name === service)!.container).inspect()
          expect(inspected.Config.Env).toContain(`${variable}=${password}`)
          const seen = [up.stdout, up.stderr, lock, await ws.read('envctl.toml'), JSON.stringify(inspected.Config.Labels), JSON.stringify(ls)]
          for (const text of seen) expect(text).not.toContain(password!)
        }

        // A real protocol exchange from the dev container, by the services' names, with the variables it got.
        expect(await ex.probe(envctl, name)).toMatch(ex.expected)

        // A second up: nothing changes, the same password and the locked digests are used.
        const again = await envctl(['up', '--name', name, '--gpus', 'none', '--json'])
        expect(again.code).toBe(0)
        expect((again.json as UpJson).services.map((s) => s.action)).toEqual(ex.services.map(() => 'kept'))
        expect(JSON.parse(await readFile(secretsFile, 'utf8'))).toEqual(secrets)

        const down = await envctl(['down', name, '--volumes', '--json'])
        expect(down.code).toBe(0)
        expect((down.json as { secretsFile: string | null }).secretsFile).toBe(secretsFile)
        expect(await leftovers(name)).toEqual({ containers: 0, networks: 0, volumes: 0 })
        await expect(stat(secretsFile)).rejects.toThrow(/ENOENT/)
      },
      ex.timeoutMs * 2,
    )
  }

  it('a first up that fails takes its generated password with it', async () => {
    const ws = await makeWorkspace({ 'envctl.toml': 'extends = "node"\nname = "unhealthy"\n[node]\nversion = "20"\n\n[services.db]\nimage = "postgres:16"\nhealthcheck = { command = ["false"], timeout = 2 }\n' })
    const name = `ex-fail-${id}`
    names.push(name)
    const r = await runCli(['up', '--name', name], { cwd: ws.dir, user: ws.user, timeoutMs: 300_000 })
    expect(r.code).toBe(22)
    await expect(readdir(join(isolatedEnv(ws.user).XDG_STATE_HOME, 'envctl', 'services'))).resolves.not.toContain(`envctl-${name}.json`)
    expect(await leftovers(name)).toEqual({ containers: 0, networks: 0, volumes: 0 })
  }, 300_000)

  it('keeps the password with the data through down and up, so the data volume still opens', async () => {
    const ws = await cloneExample('node-mysql-redis')
    const name = `ex-keep-${id}`
    names.push(name)
    await userConfig(ws)
    const envctl: Cli = (args) => runCli(args, { cwd: ws.dir, user: ws.user, timeoutMs: 600_000 })
    expect((await envctl(['up', '--name', name, '--json'])).code).toBe(0)
    expect(await must(envctl(['exec', name, '--', 'node', '-e', nodeProbe('CREATE TABLE kept (x INT)')]))).toBe('{"db":"done","pong":"PONG"}')
    const down = await envctl(['down', name, '--json'])
    expect((down.json as { services: { keptVolumes: string[] }; secretsFile: string | null }).secretsFile).toBeNull()
    expect(await leftovers(name)).toMatchObject({ containers: 0, volumes: 2 }) // the database's and the cache's data
    const up = await envctl(['up', '--name', name, '--json'])
    expect((up.json as UpJson).services.map((s) => [s.name, s.action])).toEqual([['cache', 'created'], ['db', 'created']])
    expect(await must(envctl(['exec', name, '--', 'node', '-e', nodeProbe('SELECT COUNT(*) AS db FROM kept')]))).toBe('{"db":0,"pong":"PONG"}')
    expect((await envctl(['down', name, '--volumes'])).code).toBe(0)
    expect(await leftovers(name)).toEqual({ containers: 0, networks: 0, volumes: 0 })
  }, 900_000)
})
