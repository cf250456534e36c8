import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import { envctl, project, root } from '../support/cli-sync.js'
import { isolatedEnv } from '../support/isolated-env.js'

/** Runs the bash completion function for a command line as typed so far (the last word is the one completed). */
function bashComplete(script: string, line: string[]): string[] {
  const words = line.map((w) => `'${w}'`).join(' ')
  const r = spawnSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words}); COMP_CWORD=${line.length - 1}; _envctl; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' })
  expect(r.status, r.stderr).toBe(0)
  return r.stdout.split('\n').filter(Boolean)
}

describe('did you mean', () => {
  it('a mistyped command names the closest one and exits 2', () => {
    const r = envctl(['upp'], project())
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error[USAGE]: upp is not an envctl command; did you mean up?')
    expect(r.stderr).not.toMatch(/\n\s+at /)
  })

  it('a command far from every name gets no guess', () => {
    const r = envctl(['frobnicate'], project())
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('frobnicate is not an envctl command')
    expect(r.stderr).not.toContain('did you mean')
  })

  it('a mistyped flag names the closest flag of that command', () => {
    const r = envctl(['up', '--nocache'], project())
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('did you mean --no-cache?')
    const ls = envctl(['ls', '--al'], project())
    expect(ls.stderr).toContain('did you mean --all?')
  })
})

describe('envctl completion', () => {
  it('bash completes commands, flags and built-in stacks', () => {
    const r = envctl(['completion', 'bash'], project())
    expect(r.code).toBe(0)
    expect(bashComplete(r.stdout, ['envctl', 'u'])).toEqual(['up', 'url'])
    expect(bashComplete(r.stdout, ['envctl', 'up', '--no-c'])).toEqual(['--no-cache'])
    expect(bashComplete(r.stdout, ['envctl', 'up', 'py'])).toEqual(['pytorch'])
    expect(bashComplete(r.stdout, ['envctl', 'exec', '--'])).toContain('--user')
    expect(bashComplete(r.stdout, ['envctl', 'completion', 'z'])).toEqual(['zsh'])
  })

  it('zsh and fish scripts hold every command and its flags', () => {
    const zsh = envctl(['completion', 'zsh'], project())
    expect(zsh.code).toBe(0)
    expect(zsh.stdout).toMatch(/^#compdef envctl/)
    expect(zsh.stdout).toContain("'up:Build (if needed) and start")
    expect(zsh.stdout).toMatch(/ up\) compadd -- .*--no-cache.* pytorch/)
    const fish = envctl(['completion', 'fish'], project())
    expect(fish.code).toBe(0)
    expect(fish.stdout).toContain("complete -c envctl -n '__fish_seen_subcommand_from up' -l no-cache")
    expect(fish.stdout).toContain("complete -c envctl -n __fish_use_subcommand -a ls -d")
    expect(fish.stdout).toMatch(/__fish_seen_subcommand_from up' -F -a 'java node pytorch tensorflow-gpu'/)
    expect(fish.stdout).toContain(`complete -c envctl -n '__fish_seen_subcommand_from shell' -a '(docker ps -a --filter label=dev.envctl.managed=1 --format "{{.Names}}" 2>/dev/null)'`)
  })

  it('an unknown shell is a usage error', () => {
    const r = envctl(['completion', 'tcsh'], project())
    expect(r.code).toBe(3)
    expect(r.stderr).toContain('bash, zsh, fish')
  })
})

describe('NO_COLOR', () => {
  /** `envctl ARGS` on a pseudo-terminal (util-linux script), where colour would be on; returns its SGR colour codes. */
  function colourCodes(args: string, env: Record<string, string>): string[] {
    // CI=true (as CI runs the suite) turns colour off by itself; this test is about NO_COLOR on a terminal.
    const { NO_COLOR: _drop, FORCE_COLOR: _drop2, CI: _drop3, ...base } = process.env
    const r = spawnSync('script', ['-qec', `${process.execPath} ${root}/bin/run.js ${args}`, '/dev/null'], { encoding: 'utf8', env: { ...base, ...isolatedEnv(), TERM: 'xterm-256color', ...env } })
    expect(r.status, r.stderr).toBe(0)
    return r.stdout.match(/\x1b\[[0-9;]*m/g) ?? []
  }

  it('help on a terminal is coloured, and plain with NO_COLOR set', () => {
    expect(colourCodes('up --help', {}).length).toBeGreaterThan(0)
    expect(colourCodes('up --help', { NO_COLOR: '1' })).toEqual([])
  })
})
