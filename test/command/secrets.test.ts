import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { envctl, project } from '../support/cli-sync.js'

const WITH_CREDENTIALS = `name = "creds"
extends = "pytorch"
[mirrors]
pip = "https://ci:S3CRET-pip@pypi.corp.example/simple"
pip_extra = ["https://pkgs.corp.example/simple?token=S3CRET-query"]
[network]
https_proxy = "http://proxy:S3CRET-proxy@proxy.corp.example:3128"
`

/** The user config and caches in the project folder: nothing of the developer's own applies. */
function isolated(dir: string): Record<string, string> {
  mkdirSync(join(dir, '.xdg'), { recursive: true })
  return { XDG_CONFIG_HOME: join(dir, '.xdg'), XDG_CACHE_HOME: join(dir, '.xdg'), XDG_STATE_HOME: join(dir, '.xdg') }
}

describe('credentials in URLs never reach envctl output', () => {
  const dir = project(WITH_CREDENTIALS)
  const env = isolated(dir)

  it.each([
    [['resolve', '--cpu', '--explain']],
    [['resolve', '--cpu', '--explain', '--json']],
    [['config']],
    [['config', '--json']],
    [['dockerfile', '--cpu']],
    [['dockerfile', '--cpu', '--json']],
  ])('%j masks them', (args) => {
    const r = envctl(args, dir, env)
    expect(r.code, r.stderr).toBe(0)
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/S3CRET/)
  })

  it('shows where they were, masked', () => {
    expect(envctl(['config'], dir, env).stdout).toContain('https://ci:***@pypi.corp.example/simple')
    const explain = envctl(['resolve', '--cpu', '--explain', '--json'], dir, env).json as { pipSources: { indexUrl: string; extraIndexUrls: string[] } }
    expect(explain.pipSources.indexUrl).toBe('https://ci:***@pypi.corp.example/simple')
    expect(explain.pipSources.extraIndexUrls).toContain('https://pkgs.corp.example/simple?token=***')
  })

  it('an error that quotes a URL with credentials masks it, in text and in --json', () => {
    const bad = project('name = "bad"\nextends = "pytorch"\n[mirrors]\npip = "ftp://ci:S3CRET-ftp@pypi.corp.example/simple"\n')
    for (const args of [['resolve', '--cpu'], ['resolve', '--cpu', '--json']]) {
      const r = envctl(args, bad, isolated(bad))
      expect(r.code).toBe(2)
      expect(`${r.stdout}${r.stderr}`).toContain('ftp://ci:***@pypi.corp.example/simple')
      expect(`${r.stdout}${r.stderr}`).not.toMatch(/S3CRET/)
    }
  })

  it('the notebook URL keeps its token: envctl prints it for the user on purpose', () => {
    // a stack's env value is shown by resolve as written; a loopback URL's token stays, any other is masked
    const d = project('name = "nb"\nextends = "pytorch"\n[env]\nA = "http://127.0.0.1:8888/lab?token=abc"\nB = "https://x.example/?token=abc"\n')
    writeFileSync(join(d, '.keep'), '')
    const r = envctl(['dockerfile', '--cpu'], d, isolated(d))
    expect(r.stdout).toContain('http://127.0.0.1:8888/lab?token=abc')
    expect(r.stdout).toContain('https://x.example/?token=***')
  })
})
