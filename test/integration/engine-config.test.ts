/**
 * [engine] in the project's stack file and in the user config, on the real engine: with no flag and no
 * DOCKER_HOST, `ls` and `doctor` reach the engine these files name and say which file and line chose it;
 * `build` with `[engine] context` goes through a Docker context made here. Each file names the engine by its
 * own link to the engine's socket, so the address in the output says which setting was used.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs'
import Docker from 'dockerode'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runCli } from './support/cli.js'
import { testRunId } from './support/cleanup.js'
import { describeEngine, engineEndpoint } from './support/engine.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'

const docker = new Docker()
const id = testRunId().replace(/[^a-z0-9]/g, '')
const name = `it-engcfg-${id}`

describeEngine('[engine] in the stack file and the user config', () => {
  let ws: Workspace
  let env: Record<string, string | undefined>
  const sock = (which: string) => `unix://${ws.path(`${which}.sock`)}`

  beforeAll(async () => {
    const socket = engineEndpoint().socketPath
    if (!socket) throw new Error('this test needs the engine on a unix socket')
    // Folders made by makeWorkspace belong to the test user: build writes envctl.lock beside the stack file.
    ws = await makeWorkspace({ 'docker/config.json': '{}', 'project/.keep': '', 'ctx/.keep': '', 'xdg/envctl/.keep': '' })
    for (const which of ['project', 'user', 'context']) symlinkSync(socket, ws.path(`${which}.sock`))
    writeFileSync(ws.path('project/envctl.toml'), `name = "${name}"\n[base]\nimage = "debian:bookworm-slim"\n[engine]\nhost = "${sock('project')}"\n`)
    writeFileSync(ws.path('ctx/envctl.toml'), `name = "${name}"\n[base]\nimage = "debian:bookworm-slim"\n\n[engine]\ncontext = "envctl-it"\n`)
    writeFileSync(ws.path('xdg/envctl/config.toml'), `[engine]\nhost = "${sock('user')}"\n`)
    const meta = ws.path(`docker/contexts/meta/${createHash('sha256').update('envctl-it').digest('hex')}`)
    mkdirSync(meta, { recursive: true })
    writeFileSync(`${meta}/meta.json`, JSON.stringify({ Name: 'envctl-it', Endpoints: { docker: { Host: sock('context') } } }))
    env = { DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined, DOCKER_CONFIG: ws.path('docker'), XDG_CONFIG_HOME: ws.path('xdg') }
  })

  afterAll(async () => {
    const labelled = JSON.stringify({ label: [`dev.envctl.stack=${name}`] })
    for (const i of await docker.listImages({ filters: labelled })) await docker.getImage(i.Id).remove({ force: true }).catch(() => {})
    await ws?.remove()
  })

  it("ls names the project's [engine] with its file and line, and the user config's outside the project", async () => {
    const inProject = await runCli(['ls'], { cwd: ws.path('project'), user: ws.user, env })
    expect(inProject.code, inProject.stderr).toBe(0)
    expect(inProject.stderr).toContain(`engine: ${sock('project')}, chosen by engine.host in envctl.toml:5:1`)
    const elsewhere = await runCli(['ls'], { cwd: ws.path('docker'), user: ws.user, env })
    expect(elsewhere.code, elsewhere.stderr).toBe(0)
    expect(elsewhere.stderr).toContain(`engine: ${sock('user')}, chosen by engine.host in ${ws.path('xdg/envctl/config.toml')}:2:1`)
  })

  it('doctor says the same', async () => {
    const r = await runCli(['doctor', '--json'], { cwd: ws.path('project'), user: ws.user, env })
    const engine = (r.json as { checks: Array<{ name: string; status: string; detail: string }> }).checks.find((c) => c.name === 'engine')
    expect(engine).toMatchObject({ status: 'ok', detail: expect.stringMatching(new RegExp(`at ${sock('project').replace(/[/.]/g, '\\$&')}, chosen by engine\\.host in envctl\\.toml:5:1$`)) })
  })

  it('build goes through the Docker context [engine] names', async () => {
    const r = await runCli(['build'], { cwd: ws.path('ctx'), user: ws.user, env })
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toContain(`Connect to the engine: ${sock('context')}`)
    const image = /^(\S+) built$/m.exec(r.stdout)?.[1]
    expect(image).toMatch(/^envctl\//)
    expect((await docker.getImage(image!).inspect()).Config.Labels).toMatchObject({ 'dev.envctl.stack': name })
  })
})
