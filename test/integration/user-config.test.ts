/**
 * The user config and git sources through the real CLI, run as the unprivileged test user with its own
 * XDG folders: a personal mirror reaches the Dockerfile and never the project's files; `config --json` says
 * where each value came from; a base stack in a git repository is pinned by envctl.lock.
 */
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'smol-toml'
import { describeEngine } from './support/engine.js'
import { runCli, runProcess } from './support/cli.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'
import { testMirrors } from './support/cleanup.js'

const mirror = testMirrors().pipIndex

describeEngine('user config and git sources', () => {
  let ws: Workspace
  let env: Record<string, string>
  const git = (args: string[], cwd: string) => runProcess('git', args, { cwd, user: ws.user, env: { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' } })

  beforeAll(async () => {
    ws = await makeWorkspace({
      'xdg/config/envctl/config.toml': `[mirrors]\npip = "${mirror}"\nnpm = "http://127.0.0.1:9/npm/"\n[network]\nno_proxy = "localhost,127.0.0.1"\n[gpu]\nmode = "none"\n`,
      'xdg/cache/.keep': '',
      'project/envctl.toml': 'extends = "pytorch"\n[frameworks]\npytorch = "2.13.0"\n',
      'team/base/python.toml': 'extends = "pytorch"\n[frameworks]\npytorch = "~2.3"\n',
      'consumer/envctl.toml': '',
    })
    env = { XDG_CONFIG_HOME: ws.path('xdg/config'), XDG_CACHE_HOME: ws.path('xdg/cache') }
  })

  afterAll(async () => {
    await ws?.remove()
  })

  describe('a personal mirror', () => {
    it('is applied to the build and never written into envctl.toml or envctl.lock', async () => {
      const before = readFileSync(ws.path('project/envctl.toml'), 'utf8')
      const d = await runCli(['dockerfile', '--cpu'], { cwd: ws.path('project'), user: ws.user, env })
      expect(d.code, d.stderr).toBe(0)
      expect(d.stdout).toContain(`--index-url '${mirror}'`)
      const l = await runCli(['lock', '--cpu'], { cwd: ws.path('project'), user: ws.user, env })
      expect(l.code, l.stderr).toBe(0)
      expect(readFileSync(ws.path('project/envctl.toml'), 'utf8')).toBe(before)
      const lock = readFileSync(ws.path('project/envctl.lock'), 'utf8')
      expect(lock).not.toContain(new URL(mirror).host)
      expect(lock).not.toContain('127.0.0.1')
      // The same lock is used with the mirror applied on top.
      const r = await runCli(['resolve', '--cpu', '--json', '--explain'], { cwd: ws.path('project'), user: ws.user, env })
      expect(r.json).toMatchObject({ lock: 'used', pipSources: { indexUrl: mirror } })
      const why = (r.json as { explain: Array<{ key: string; because: string }> }).explain.find((e) => e.key === 'mirrors.pip')
      expect(why?.because).toContain(`${ws.path('xdg/config/envctl/config.toml')}:2`)
    })
  })

  describe('envctl config --json', () => {
    it('shows each value with its origin: user config, project file, flag or default', async () => {
      await writeFile(ws.path('project/envctl.toml'), `extends = "pytorch"\n[frameworks]\npytorch = "2.13.0"\n[mirrors]\npip = "${mirror}"\n`)
      const r = await runCli(['config', '--json', '--cpu', '--docker-host', 'unix:///run/other.sock'], { cwd: ws.path('project'), user: ws.user, env })
      expect(r.code, r.stderr).toBe(0)
      const view = r.json as { files: { userConfig: string }; settings: Array<{ key: string; value: unknown; origin: { kind: string; where: string }; shadows: Array<{ origin: { kind: string; where: string } }> }> }
      const setting = (key: string) => view.settings.find((s) => s.key === key)!
      const userFile = ws.path('xdg/config/envctl/config.toml')
      expect(view.files.userConfig).toBe(userFile)
      expect(setting('mirrors.npm')).toMatchObject({ value: 'http://127.0.0.1:9/npm/', origin: { kind: 'user', where: `${userFile}:3:1` } })
      expect(setting('mirrors.pip')).toMatchObject({ value: mirror, origin: { kind: 'project', where: 'envctl.toml:5:1' }, shadows: [{ origin: { kind: 'user', where: `${userFile}:2:1` } }] })
      expect(setting('gpu.mode')).toMatchObject({ value: 'none', origin: { kind: 'flag', where: 'flag --cpu' } })
      expect(setting('network.build_network')).toMatchObject({ value: 'default', origin: { kind: 'default' } })
      expect(setting('engine.host')).toMatchObject({ value: 'unix:///run/other.sock', origin: { kind: 'flag' } })
    })

    it('reports a mistake in the user config at its file, line and column', async () => {
      const cfg = ws.path('xdg/config/envctl/config.toml')
      const good = readFileSync(cfg, 'utf8')
      await writeFile(cfg, `${good}[network]\nca_in_imag = true\n`.replace('[network]\nno_proxy', '[netwrk]\nno_proxy'))
      try {
        const r = await runCli(['config'], { cwd: ws.path('project'), user: ws.user, env })
        expect(r.code).toBe(2)
        expect(r.stderr).toContain(`${cfg}:4:1: unknown key \`netwrk\`; did you mean \`network\`?`)
        expect(r.stderr).toMatch(/ca_in_imag.*did you mean `ca_in_image`/)
      } finally {
        await writeFile(cfg, good)
      }
    })
  })

  describe('extends from a git repository', () => {
    let repo: string
    let commits: string[]

    beforeAll(async () => {
      const team = ws.path('team')
      repo = ws.path('team.git')
      for (const args of [['init', '-q', '-b', 'main'], ['add', '.'], ['commit', '-qm', 'base on torch 2.3']]) expect((await git(args, team)).code).toBe(0)
      expect((await git(['clone', '-q', '--bare', team, repo], ws.dir)).code).toBe(0)
      commits = [(await git(['rev-parse', 'HEAD'], team)).stdout.trim()]
      await writeFile(ws.path('consumer/envctl.toml'), `extends = "git+file://${repo}#main:base/python.toml"\n[packages]\npip = ["requests"]\n`)
    })

    async function moveBranch(pytorch: string): Promise<void> {
      const team = ws.path('team')
      await writeFile(ws.path('team/base/python.toml'), `extends = "pytorch"\n[frameworks]\npytorch = "${pytorch}"\n`)
      expect((await git(['commit', '-qam', `torch ${pytorch}`], team)).code).toBe(0)
      expect((await git(['push', '-q', repo, 'HEAD:main'], team)).code).toBe(0)
      commits.push((await git(['rev-parse', 'HEAD'], team)).stdout.trim())
    }

    const resolve = async (args: string[] = []) => {
      const r = await runCli(['resolve', '--cpu', '--json', ...args], { cwd: ws.path('consumer'), user: ws.user, env })
      expect(r.code, r.stderr).toBe(0)
      return r.json as { frameworks: { pytorch: string }; lock: string }
    }
    const pinned = () => (parse(readFileSync(ws.path('consumer/envctl.lock'), 'utf8')) as { sources: Record<string, string> }).sources[`git+file://${repo}#main`]

    it('resolves through the git source, and the lock pins its commit', async () => {
      expect((await resolve()).frameworks.pytorch).toMatch(/^2\.3\./)
      const l = await runCli(['lock', '--cpu'], { cwd: ws.path('consumer'), user: ws.user, env })
      expect(l.code, l.stderr).toBe(0)
      expect(pinned()).toBe(commits[0])
    })

    it('a moved branch does not change a locked resolve; lock --upgrade moves the pin', async () => {
      await moveBranch('~2.4')
      const locked = await resolve(['--explain'])
      expect(locked).toMatchObject({ lock: 'used', frameworks: { pytorch: expect.stringMatching(/^2\.3\./) } })
      expect(JSON.stringify(locked)).toContain(`pinned by envctl.lock`)
      const up = await runCli(['lock', '--cpu', '--upgrade'], { cwd: ws.path('consumer'), user: ws.user, env })
      expect(up.code, up.stderr).toBe(0)
      expect(pinned()).toBe(commits[1])
      expect((await resolve()).frameworks.pytorch).toMatch(/^2\.4\./)
    })

    it('a missing ref or path is a clear error at the extends line', async () => {
      await writeFile(ws.path('consumer/envctl.toml'), `extends = "git+file://${repo}#no-such-branch:base/python.toml"\n`)
      const ref = await runCli(['resolve', '--cpu'], { cwd: ws.path('consumer'), user: ws.user, env })
      expect(ref.code).toBe(16)
      expect(ref.stderr).toMatch(/has no ref "no-such-branch"/)
      expect(ref.stderr).toMatch(/envctl\.toml:1:1/)
      await writeFile(ws.path('consumer/envctl.toml'), `extends = "git+file://${repo}#main:base/gone.toml"\n`)
      const path = await runCli(['resolve', '--cpu'], { cwd: ws.path('consumer'), user: ws.user, env })
      expect(path.code).toBe(2)
      expect(path.stderr).toMatch(/no file base\/gone\.toml in file:\/\//)
    })
  })
})
