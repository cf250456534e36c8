/**
 * Registry credentials from a Docker credential helper, end to end: a registry that requires a password,
 * a base image and a service image only it has, and a `docker-credential-envctltest` on PATH that the test's DOCKER_CONFIG
 * names (credsStore, then credHelpers). The credentials come from nowhere else; the secret never shows.
 */
import { chmodSync, readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import Docker from 'dockerode'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { startAuthRegistry, type AuthRegistry } from './support/auth-registry.js'
import { runCli, type RunResult } from './support/cli.js'
import { testRunId } from './support/cleanup.js'
import { describeEngine } from './support/engine.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'

const docker = new Docker()
const id = testRunId().replace(/[^a-z0-9]/g, '')
const SECRET = `pw-${id}-never-shown`
const names = ['store', 'helpers', 'wrong', 'missing'].map((c) => `it-creds-${c}-${id}`)

const HELPER = `#!/bin/sh
# docker-credential-envctltest: answers "get" with answer.json beside it, and logs what it was asked for.
[ "$1" = get ] || exit 3
here=$(dirname "$0")
server=$(cat)
echo "$server" >> "$here/calls.log"
cat "$here/answer.json"
`

describeEngine('registry credentials from a Docker credential helper', () => {
  let registry: AuthRegistry
  let ws: Workspace
  let base: string
  let service: string
  let env: Record<string, string>

  const answer = (secret: string) => writeFile(ws.path('bin/answer.json'), JSON.stringify({ ServerURL: registry.host, Username: registry.user, Secret: secret }))
  const dockerConfig = (name: string, config: object) => writeFile(ws.path(`${name}/docker/config.json`), JSON.stringify(config))
  const project = (name: string) => writeFile(ws.path(`${name}/envctl.toml`), `name = "${name}"\n[base]\nimage = "${base}"\n`)
  const run = (name: string, args: string[]) => runCli(args, { cwd: ws.path(name), user: ws.user, env: { ...env, DOCKER_CONFIG: ws.path(`${name}/docker`) } })
  const baseIsLocal = () => docker.getImage(base).inspect().then(() => true, () => false)
  const dropBase = () => docker.getImage(base).remove().catch(() => undefined)
  const calls = () => readFileSync(ws.path('bin/calls.log'), 'utf8').split('\n').filter(Boolean)
  const neverShown = (r: RunResult) => {
    expect(r.stdout).not.toContain(SECRET)
    expect(r.stderr).not.toContain(SECRET)
  }

  beforeAll(async () => {
    registry = await startAuthRegistry('ada', SECRET)
    base = await registry.push('debian:bookworm-slim', 'team/debian', id)
    service = await registry.push('debian:bookworm-slim', 'team/sidecar', id)
    ws = await makeWorkspace({ 'bin/docker-credential-envctltest': HELPER, 'bin/calls.log': '', ...Object.fromEntries(names.map((n) => [`${n}/docker/.keep`, ''])) })
    chmodSync(ws.path('bin/docker-credential-envctltest'), 0o755)
    env = { PATH: `${ws.path('bin')}:${process.env.PATH}` }
    for (const n of names) await project(n)
  }, 120_000)

  afterAll(async () => {
    for (const n of names) {
      const labelled = JSON.stringify({ label: [`dev.envctl.stack=${n}`] })
      for (const c of await docker.listContainers({ all: true, filters: labelled })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => {})
      for (const i of await docker.listImages({ filters: labelled })) await docker.getImage(i.Id).remove({ force: true }).catch(() => {})
    }
    await dropBase()
    if (service) await docker.getImage(service).remove({ force: true }).catch(() => undefined)
    await registry?.stop()
    await ws?.remove()
  })

  it('build pulls the base image with the credentials credsStore gives, asked for by registry host', async () => {
    await dropBase()
    await answer(SECRET)
    await dockerConfig(names[0]!, { credsStore: 'envctltest' })
    const r = await run(names[0]!, ['build', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(await baseIsLocal()).toBe(true)
    expect(calls()).toContain(registry.host)
    neverShown(r)
  })

  it('up uses the credHelpers entry for the registry over credsStore, for the base image and a service image', async () => {
    await dropBase()
    const before = calls().length
    await dockerConfig(names[1]!, { credsStore: 'envctlnotinstalled', credHelpers: { [registry.host]: 'envctltest' } })
    await writeFile(ws.path(`${names[1]}/envctl.toml`), `name = "${names[1]}"\n[base]\nimage = "${base}"\n[services.sidecar]\nimage = "${service}"\ncommand = ["sleep", "infinity"]\ndata = "none"\n`)
    const r = await run(names[1]!, ['up', '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json).toMatchObject({ action: 'created' })
    expect(calls().slice(before)).toEqual([registry.host, registry.host])
    expect(await docker.getImage(service).inspect().then(() => true, () => false)).toBe(true)
    neverShown(r)
    const down = await run(names[1]!, ['down'])
    expect(down.code, down.stderr).toBe(0)
  })

  it('a wrong secret from the helper is a clear refusal that names the helper, without the secret', async () => {
    await dropBase()
    const wrong = `${SECRET}-but-wrong`
    await answer(wrong)
    await dockerConfig(names[2]!, { credsStore: 'envctltest' })
    const r = await run(names[2]!, ['build'])
    expect(r.code).toBe(11)
    expect(r.stderr).toContain(`cannot pull ${base}: the registry refused access`)
    expect(r.stderr).toContain(`the registry refused the credentials the credential helper "envctltest" gave for ${registry.host}`)
    expect(r.stderr).not.toContain(wrong)
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    expect(await baseIsLocal()).toBe(false)
  })

  it('a helper missing from PATH is named, with the registry and the fix', async () => {
    await dropBase()
    await dockerConfig(names[3]!, { credsStore: 'envctlmissing' })
    // Only folders everyone may search: one this user cannot read would turn "not found" into EACCES.
    const r = await runCli(['build'], { cwd: ws.path(names[3]!), user: ws.user, env: { PATH: '/usr/local/bin:/usr/bin:/bin', DOCKER_CONFIG: ws.path(`${names[3]}/docker`) } })
    expect(r.code).toBe(11)
    const config = ws.path(`${names[3]}/docker/config.json`)
    expect(r.stderr).toContain(`cannot get credentials for ${registry.host} from the credential helper "envctlmissing" (credsStore in ${config}): docker-credential-envctlmissing is not on PATH`)
    expect(r.stderr).toContain('install docker-credential-envctlmissing')
  })
})
