/**
 * The harness itself: a command test never sees the config of the HOME it was started from. A "developer
 * HOME" with a user config naming a mirror is put in this process's environment, as a developer's shell
 * would; the CLI run through the test helpers must not read it, while a plain child with that environment does
 * (so the check can fail).
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir, userInfo } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../integration/support/cli.js'
import { envctl, project, root } from '../support/cli-sync.js'
import { ISOLATED_VARS, isolatedEnv } from '../support/isolated-env.js'

const LEAKED = 'http://leaked.invalid/simple'

interface ConfigView {
  files: { userConfig: string; userConfigExists: boolean }
  settings: Array<{ key: string; value: unknown; origin: { kind: string } }>
}

const pipMirror = (view: ConfigView) => view.settings.find((s) => s.key === 'mirrors.pip')

describe('command tests are isolated from the HOME they were started from', () => {
  const saved: Record<string, string | undefined> = {}
  let developerHome: string

  beforeEach(() => {
    developerHome = mkdtempSync(join(tmpdir(), 'envctl-devhome-'))
    mkdirSync(join(developerHome, '.config/envctl'), { recursive: true })
    writeFileSync(join(developerHome, '.config/envctl/config.toml'), `[mirrors]\npip = "${LEAKED}"\n`)
    for (const key of ISOLATED_VARS) saved[key] = process.env[key]
    for (const key of ISOLATED_VARS) delete process.env[key]
    process.env.HOME = developerHome
  })

  afterEach(() => {
    for (const key of ISOLATED_VARS) {
      if (saved[key] === undefined) delete process.env[key]
      else process.env[key] = saved[key]
    }
    rmSync(developerHome, { recursive: true, force: true })
  })

  it('a plain child with that environment reads the user config (the control)', () => {
    const r = spawnSync(process.execPath, [join(root, 'bin/run.js'), 'config', '--json'], { cwd: project(), encoding: 'utf8', env: process.env })
    expect(r.status, r.stderr).toBe(0)
    const view = JSON.parse(r.stdout) as ConfigView
    expect(view.files.userConfig).toBe(join(developerHome, '.config/envctl/config.toml'))
    expect(pipMirror(view)).toMatchObject({ value: LEAKED, origin: { kind: 'user' } })
  })

  it('envctl() from cli-sync reads only this file’s fresh, empty config folder', () => {
    const r = envctl(['config', '--json'], project())
    expect(r.code, r.stderr).toBe(0)
    const view = r.json as ConfigView
    expect(view.files).toMatchObject({ userConfig: join(isolatedEnv().XDG_CONFIG_HOME, 'envctl/config.toml'), userConfigExists: false })
    expect(pipMirror(view)?.origin.kind).toBe('default')
    expect(r.stdout).not.toContain(LEAKED)
  })

  it('runCli() from the integration helpers does the same', async () => {
    const r = await runCli(['config', '--json'], { cwd: project() })
    expect(r.code, r.stderr).toBe(0)
    const view = r.json as ConfigView
    expect(view.files.userConfig).toBe(join(isolatedEnv().XDG_CONFIG_HOME, 'envctl/config.toml'))
    expect(r.stdout).not.toContain(LEAKED)
  })
})

describe('the setup file', () => {
  it('points HOME, XDG_* and DOCKER_CONFIG of every test file at fresh folders, away from the real home', () => {
    const real = userInfo().homedir
    for (const key of ISOLATED_VARS) {
      expect(process.env[key], key).toBe(isolatedEnv()[key])
      expect(process.env[key]!.startsWith(real + '/') || process.env[key] === real, key).toBe(false)
    }
  })
})
