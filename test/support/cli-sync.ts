import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { isolatedEnv } from './isolated-env.js'

export const root = fileURLToPath(new URL('../../', import.meta.url))

/**
 * Runs the built CLI (kept fresh by test/support/fresh-dist.ts) as a user would, from `cwd`, without engine
 * access, with this test file's own HOME, XDG folders and DOCKER_CONFIG (isolatedEnv) unless `env` names others.
 */
export function envctl(args: string[], cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [join(root, 'bin/run.js'), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DEBUG: '', ...isolatedEnv(), ...env } })
  const json = args.includes('--json') ? tryJson(r.stdout) : undefined
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, json }
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}

/** A temporary project folder, with an envctl.toml when given. */
export function project(toml?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'envctl-cmd-'))
  if (toml !== undefined) writeFileSync(join(dir, 'envctl.toml'), toml)
  return dir
}
