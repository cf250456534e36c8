/**
 * The environment lifecycle after `up`, through the built CLI against the real engine: ls, exec, shell,
 * logs, stop, down and prune. Two projects (A and B) are started with the real `envctl up`; both mount the
 * shared npm cache volume, which is how `down --volumes` is shown to keep a cache another environment uses.
 * Everything is cleaned up by label; the shared cache volume is left, as `down` itself leaves it.
 */
import Docker from 'dockerode'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { connectEngine } from '../../src/engine/connect.js'
import { runCli, type RunResult } from './support/cli.js'
import { removeByLabel, testRunId, testRunLabels } from './support/cleanup.js'
import { describeEngine } from './support/engine.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'

const id = testRunId()
const envA = `lc-${id}-a`
const envB = `lc-${id}-b`
const unusedTag = `envctl/lc-${id}:unused`

function stackFile(name: string): string {
  return `name = "${name}"\nextends = "node"\n\n[node]\nversion = "20"\n\n[gpu]\nmode = "none"\n`
}

interface EnvJson {
  name: string
  status: string
  image: string
  workspace: string
}

describeEngine('environment lifecycle', () => {
  const docker = new Docker()
  let a: Workspace
  let b: Workspace
  let imageA: string
  /** Container names as `up` reported them: envctl-NAME-<8 hex of workspace, stack and uid>. */
  const containerOf: Record<string, string> = {}

  const envctl = (ws: Workspace, args: string[], input?: string): Promise<RunResult> => runCli(args, { cwd: ws.dir, user: ws.user, input, timeoutMs: 120_000 })

  beforeAll(async () => {
    a = await makeWorkspace({ 'envctl.toml': stackFile(envA), 'hello.txt': 'hello\n' })
    b = await makeWorkspace({ 'envctl.toml': stackFile(envB) })
    for (const ws of [a, b]) {
      const up = await runCli(['up', '--json'], { cwd: ws.dir, user: ws.user })
      if (up.code !== 0) throw new Error(`envctl up failed (${up.code}):\n${up.stdout}\n${up.stderr}`)
      if (ws === a) imageA = (up.json as { image: string }).image
      const { name, container } = up.json as { name: string; container: string }
      expect(container).toMatch(new RegExp(`^envctl-${name}-[0-9a-f]{8}$`))
      containerOf[name] = container
    }
  })

  afterAll(async () => {
    for (const env of [envA, envB]) {
      await removeByLabel(`dev.envctl.project=${env}`)
      await removeByLabel(`dev.envctl.stack=${env}`)
    }
    await removeByLabel()
    await Promise.all([a?.remove(), b?.remove()])
  })

  it("ls lists the project's environment, and --all every one", async () => {
    const mine = await envctl(a, ['ls', '--json'])
    expect(mine.code).toBe(0)
    expect(mine.json).toEqual([expect.objectContaining({ name: envA, container: containerOf[envA], status: 'running', image: imageA, workspace: a.dir })])
    const all = (await envctl(a, ['ls', '--all', '--json'])).json as EnvJson[]
    expect(all.map((e) => e.name)).toEqual(expect.arrayContaining([envA, envB]))
  })

  it('exec runs in /workspace and exits with the command’s exit code', async () => {
    const pwd = await envctl(a, ['exec', '--', 'pwd'])
    expect(pwd).toMatchObject({ code: 0, stdout: '/workspace\n' })
    const seven = await envctl(a, ['exec', '--', 'sh', '-c', 'echo out; echo err >&2; exit 7'])
    expect(seven).toMatchObject({ code: 7, stdout: 'out\n', stderr: 'err\n' })
    const json = await envctl(a, ['exec', '--json', '--', 'sh', '-c', 'echo out; exit 3'])
    expect(json.code).toBe(3)
    expect(json.json).toMatchObject({ name: envA, exitCode: 3, stdout: 'out\n' })
  })

  it('exec reaches a named environment from any folder', async () => {
    const r = await envctl(b, ['exec', envA, '--', 'cat', 'hello.txt'])
    expect(r).toMatchObject({ code: 0, stdout: 'hello\n' })
  })

  it("exec runs as the workspace's non-root owner: what it creates is theirs on the host", async () => {
    expect(a.user.uid).not.toBe(0)
    const r = await envctl(a, ['exec', '--', 'sh', '-c', 'id -u; touch made-in-env'])
    expect(r).toMatchObject({ code: 0, stdout: `${a.user.uid}\n` })
    expect(await a.owner('made-in-env')).toEqual({ uid: a.user.uid, gid: a.user.gid })
  })

  it('shell reads commands from piped stdin, in bash, and exits with its code', async () => {
    const r = await envctl(a, ['shell'], 'echo "$0 in $(pwd) as $(id -un)"; exit 4\n')
    expect(r).toMatchObject({ code: 4, stdout: '/bin/bash in /workspace as envctl\n' })
  })

  it("logs shows the environment's output, and --tail the last lines", async () => {
    // The main process's stdout is what the engine logs; write to it from inside.
    expect((await envctl(a, ['exec', '--', 'sh', '-c', 'printf "first\\nsecond\\n" > /proc/1/fd/1'])).code).toBe(0)
    const all = await envctl(a, ['logs'])
    expect(all.code).toBe(0)
    expect(all.stdout).toContain('first\nsecond\n')
    const last = await envctl(a, ['logs', envA, '--tail', '1', '--json'])
    expect(last.json).toEqual({ name: envA, container: containerOf[envA], stdout: 'second\n', stderr: '' })
  })

  it('prune --dry-run lists an unused envctl image, not one a container uses, and removes nothing', async () => {
    const engine = await connectEngine()
    await engine.buildImage({ dockerfile: 'FROM debian:bookworm-slim\n', tag: unusedTag, labels: { 'dev.envctl.managed': '1', ...testRunLabels() } })
    const r = await envctl(a, ['prune', '--dry-run', '--json'])
    expect(r.code).toBe(0)
    const tags = (r.json as { images: Array<{ tags: string[] }> }).images.flatMap((i) => i.tags)
    expect(tags).toContain(unusedTag)
    expect(tags).not.toContain(imageA)
    expect(r.json).toMatchObject({ dryRun: true, buildCacheBytes: null })
    expect(await engine.imageExists(unusedTag)).toBe(true)
  })

  it('stop keeps the container: ls shows it exited, and exec says to run envctl up', async () => {
    const stop = await envctl(a, ['stop', '--json'])
    expect(stop).toMatchObject({ code: 0, json: { name: envA, wasRunning: true, status: 'exited' } })
    expect((await envctl(a, ['ls', '--json'])).json).toEqual([expect.objectContaining({ name: envA, status: 'exited' })])
    const exec = await envctl(a, ['exec', '--', 'true'])
    expect(exec.code).toBe(17)
    expect(exec.stderr).toContain('is not running')
    expect(exec.stderr).toContain('envctl up')
  })

  it('down --volumes removes the container, keeps the workspace, and keeps a cache another environment uses', async () => {
    const r = await envctl(a, ['down', '--volumes', '--json'])
    expect(r.code).toBe(0)
    expect(r.json).toMatchObject({ name: envA, container: containerOf[envA], workspace: a.dir, image: imageA, volumes: { removed: [] } })
    expect((r.json as { volumes: { kept: unknown[] } }).volumes.kept).toContainEqual({ name: 'envctl-cache-npm', reason: expect.stringContaining(containerOf[envB]) })
    await expect(docker.getContainer(containerOf[envA]).inspect()).rejects.toThrow(/no such container/i)
    expect(await a.read('hello.txt')).toBe('hello\n')
    expect(await a.owner('made-in-env')).toEqual({ uid: a.user.uid, gid: a.user.gid })
    expect((await docker.getImage(imageA).inspect()).RepoTags).toContain(imageA)
  })

  it('down without --volumes leaves the cache volumes', async () => {
    const r = await envctl(b, ['down'])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`removed ${containerOf[envB]}`)
    expect(r.stdout).toContain('kept volume envctl-cache-npm')
    expect((await docker.getVolume('envctl-cache-npm').inspect()).Labels).toMatchObject({ 'dev.envctl.managed': '1', 'dev.envctl.cache': 'npm' })
    expect((await envctl(b, ['ls', '--all', '--json'])).json).not.toContainEqual(expect.objectContaining({ name: envB }))
  })

  it('down of an unknown environment fails with NOT_FOUND, a hint, and no stack trace', async () => {
    const r = await envctl(a, ['down', `nope-${id}`])
    expect(r.code).toBe(16)
    expect(r.stderr).toContain(`error[NOT_FOUND]: no environment named nope-${id}`)
    expect(r.stderr).toContain('envctl ls --all')
    expect(r.stderr).not.toMatch(/^\s+at /m)
  })
})
