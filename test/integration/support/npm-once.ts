/**
 * A package from npm that a test runs on the host (the devcontainer CLI, a database client), installed once per
 * machine into the temp folder and reused: not a dependency of envctl. Readable by the test users.
 */
import { existsSync } from 'node:fs'
import { chmod, mkdtemp, rename, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runProcess } from './cli.js'

/** `spec` as npm takes it (`@devcontainers/cli@0.89.0`, `mysql2@3`); returns the node_modules folder holding it. */
export async function npmPackageOnce(spec: string): Promise<string> {
  const name = /^(@?[^@]+)/.exec(spec)![1]!
  const dir = join(tmpdir(), `envctl-npm-${spec.replace(/^@/, '').replace(/[@/^]/g, '-')}`)
  if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return join(dir, 'node_modules')
  const part = await mkdtemp(join(tmpdir(), 'envctl-npm-'))
  const r = await runProcess('npm', ['install', '--prefix', part, '--no-audit', '--no-fund', '--no-package-lock', spec], { cwd: part, timeoutMs: 120_000 })
  if (r.code !== 0) throw new Error(`npm install ${spec} failed:\n${r.stderr}`)
  // mkdtemp makes the folder 0700; what is installed runs as the test user too.
  await chmod(part, 0o755)
  // Another test file may have installed it meanwhile: keep theirs.
  await rename(part, dir).catch(() => rm(part, { recursive: true, force: true }))
  return join(dir, 'node_modules')
}
