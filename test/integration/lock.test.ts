import { writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { parse } from 'smol-toml'
import { describeEngine } from './support/engine.js'
import { runCli, type RunResult } from './support/cli.js'
import { makeWorkspace, secondUser, type TestUser, type Workspace } from './support/fixtures.js'
import { removeByLabel, testMirrors, testRunId } from './support/cleanup.js'

// One project, several checkouts of it: the lock written by the first up must give every other checkout,
// and every other user, the same environment, and say so when the stack drifts from it.
const id = testRunId().replace(/[^a-z0-9]/g, '')
const project = `it-lock-${id}`
const envB = `${project}-b`
const envC = `${project}-c`
/** The sha256 the local mirror serves for numpy-2.2.6-cp311-…manylinux2014_x86_64.whl. */
const NUMPY_SHA = 'ba10f8411898fc418a521833e014a77d3ca01c15b0c6cdcce6a0d2897e6dbbdf'

function stack(numpy = '2.2.6'): string {
  return `name = "${project}"
[python]
version = "3.11"
[packages]
pip = ["numpy==${numpy}", "requests"]
apt = ["jq"]
[gpu]
mode = "none"
[mirrors]
pip = "${testMirrors().pipIndex}"
[network]
build_network = "host"
`
}

interface Installed {
  pip: Record<string, string>
  pipSha256: Record<string, string>
  apt: Record<string, string>
}

async function lockOf(ws: Workspace): Promise<{ text: string; cpu: { baseDigest?: string; installed: Installed } }> {
  const text = await ws.read('envctl.lock')
  const lock = parse(text) as unknown as { variants: { cpu: { baseDigest?: string; installed: Installed } } }
  return { text, cpu: lock.variants.cpu }
}

const ok = (r: RunResult) => expect(r.code, r.stderr).toBe(0)
const json = <T>(r: RunResult) => r.json as T

async function installedIn(ws: Workspace, env: string): Promise<string> {
  const r = await runCli(['exec', env, '--', 'sh', '-c', 'pip freeze --all && dpkg-query -W'], { cwd: ws.dir, user: ws.user })
  ok(r)
  return r.stdout
}

describeEngine('envctl.lock: the same environment for every checkout and user', () => {
  let a: Workspace
  let b: Workspace
  let imageA: string

  beforeAll(async () => {
    a = await makeWorkspace({ 'envctl.toml': stack() })
  })

  afterAll(async () => {
    await removeByLabel(`dev.envctl.stack=${project}`)
    await a?.remove()
    await b?.remove()
  })

  it('the first up records the base digest and every installed package, pip with sha256 hashes; a second up is a no-op', async () => {
    const first = await runCli(['up', '--json'], { cwd: a.dir, user: a.user })
    ok(first)
    expect(json<{ notes: string[] }>(first).notes.join('\n')).toMatch(/wrote .*envctl\.lock: base sha256:/)
    const { cpu } = await lockOf(a)
    expect(cpu.baseDigest).toMatch(/^sha256:[a-f0-9]{64}$/)
    expect(cpu.installed.pip.numpy).toBe('2.2.6')
    expect(cpu.installed.pip.requests).toMatch(/^\d+\.\d+/)
    expect(cpu.installed.pipSha256.numpy).toBe(NUMPY_SHA)
    expect(Object.keys(cpu.installed.pipSha256).sort()).toEqual(Object.keys(cpu.installed.pip).sort())
    expect(cpu.installed.apt.jq).toMatch(/^1\.6/)
    expect(cpu.installed.apt.libjq1).toBe(cpu.installed.apt.jq)

    const second = await runCli(['up', '--json'], { cwd: a.dir, user: a.user })
    ok(second)
    expect(second.json).toMatchObject({ action: 'running', built: false, notes: [] })
    imageA = json<{ imageId: string }>(second).imageId
  })

  it('another user, with another uid, gets the same image for the same project', async (ctx) => {
    const user2 = secondUser()
    if (!user2) {
      const why = 'a second user needs root to switch to; run the tests as root (CI) after `bash .ci/setup.sh`'
      if (process.env.ENVCTL_REQUIRE_ENGINE === '1') throw new Error(why)
      return ctx.skip(why)
    }
    const c = await makeWorkspace({ 'envctl.toml': stack(), 'envctl.lock': (await lockOf(a)).text }, user2 as TestUser)
    try {
      const up = await runCli(['up', '--name', envC, '--json'], { cwd: c.dir, user: c.user })
      ok(up)
      expect(up.json).toMatchObject({ built: false, imageId: imageA })
      const who = await runCli(['exec', envC, '--', 'id', '-u'], { cwd: c.dir, user: c.user })
      expect(who.stdout.trim()).toBe(String(user2.uid))
      expect(user2.uid).not.toBe(a.user.uid)
      expect(await c.read('envctl.lock')).toBe((await lockOf(a)).text)
    } finally {
      await c.remove()
    }
  })

  it('a second checkout renders the same Dockerfile, installs the locked set with --require-hashes, and ends with the same packages', async () => {
    b = await makeWorkspace({ 'envctl.toml': stack(), 'envctl.lock': (await lockOf(a)).text })
    const dfA = await runCli(['dockerfile'], { cwd: a.dir, user: a.user })
    const dfB = await runCli(['dockerfile'], { cwd: b.dir, user: b.user })
    ok(dfA)
    ok(dfB)
    expect(dfB.stdout).toBe(dfA.stdout)
    expect(dfB.stdout).toMatch(/^FROM python:3\.11-slim-bookworm@sha256:[a-f0-9]{64}$/m)
    expect(dfB.stdout).toContain('python -m pip install --no-deps --require-hashes')
    expect(dfB.stdout).toContain('--mount=type=bind,source=envctl/pip-user.txt,target=/tmp/envctl/pip-user.txt')
    expect(dfB.stdout).toMatch(/'jq=1\.6[^']*'/)

    // --no-cache: really install from the lock (the tag exists already: checkout A's image is that set).
    const up = await runCli(['up', '--name', envB, '--no-cache', '--json'], { cwd: b.dir, user: b.user })
    ok(up)
    expect(up.json).toMatchObject({ built: true, notes: [] })
    expect(await installedIn(b, envB)).toBe(await installedIn(a, project))
    expect(await b.read('envctl.lock')).toBe((await lockOf(a)).text)
  })

  it('--frozen refuses a changed stack with a readable diff; without it, up rebuilds and updates the lock', async () => {
    const before = await lockOf(b)
    await writeFile(b.path('envctl.toml'), stack('2.3.5'))
    const frozen = await runCli(['up', '--name', envB, '--frozen'], { cwd: b.dir, user: b.user })
    expect(frozen.code).toBe(6)
    expect(frozen.stderr).toMatch(/error\[LOCK_DRIFT\]/)
    expect(frozen.stderr).toContain('~ pip numpy: 2.2.6 → 2.3.5')
    expect(frozen.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    expect(await b.read('envctl.lock')).toBe(before.text)

    const up = await runCli(['up', '--name', envB, '--json'], { cwd: b.dir, user: b.user })
    ok(up)
    const result = json<{ notes: string[]; buildSteps: Array<{ name: string }> }>(up)
    expect(result.notes.join('\n')).toContain('~ pip numpy: 2.2.6 → 2.3.5')
    // Only numpy moved: the framework and tooling layers installed exactly their recorded sets, and the user
    // layer resolved with its other recorded versions as constraints (requests and its dependencies came with
    // JupyterLab, in the tooling layer, so here numpy is the user layer's only package).
    expect(result.buildSteps.length).toBeGreaterThan(0)
    const after = await lockOf(b)
    const moved = Object.keys(after.cpu.installed.pip).filter((n) => after.cpu.installed.pip[n] !== before.cpu.installed.pip[n])
    expect(moved).toEqual(['numpy'])
    expect(after.text).toContain('numpy = "2.3.5"')
    expect(after.cpu.installed.pip.numpy).toBe('2.3.5')
    expect(after.cpu.installed.pip.requests).toBe(before.cpu.installed.pip.requests)
    expect(after.cpu.baseDigest).toBe(before.cpu.baseDigest)
    const numpy = await runCli(['exec', envB, '--', 'python', '-c', 'import numpy; print(numpy.__version__)'], { cwd: b.dir, user: b.user })
    expect(numpy.stdout.trim()).toBe('2.3.5')
  })
})
