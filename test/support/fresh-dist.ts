/**
 * Vitest globalSetup: command and integration tests run the built CLI (bin/run.js → dist/), so dist/ must be
 * what src/ says now. Rebuilds (tsc -p tsconfig.build.json) when any source is newer than its output, or
 * when an output is missing; a fresh dist costs one directory walk. A failed build stops the run with tsc's
 * own message instead of testing an old dist.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** Why dist/ under `repo` is stale (the first source found out of date), or undefined when it is fresh. */
export function staleDist(repo: string): string | undefined {
  const src = join(repo, 'src')
  const configTime = Math.max(...['tsconfig.json', 'tsconfig.build.json'].map((f) => statSync(join(repo, f)).mtimeMs))
  for (const file of sources(src)) {
    const out = join(repo, 'dist', relative(src, file)).replace(/\.ts$/, '.js')
    if (!existsSync(out)) return `${relative(repo, out)} is missing`
    const built = statSync(out).mtimeMs
    if (built < statSync(file).mtimeMs) return `${relative(repo, file)} changed after ${relative(repo, out)} was built`
    if (built < configTime) return `a tsconfig changed after ${relative(repo, out)} was built`
  }
  return undefined
}

function* sources(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sources(path)
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) yield path
  }
}

/** Builds dist/ when it is stale; throws tsc's output when the build fails. */
export function ensureFreshDist(repo = root): void {
  const why = staleDist(repo)
  if (why === undefined) return
  console.log(`building dist/ before the tests (${why})`)
  const tsc = createRequire(join(repo, 'package.json')).resolve('typescript/bin/tsc')
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: repo, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`npm run build failed, so the CLI the tests run would be stale:\n${r.stdout}${r.stderr}`)
}

export default function setup(): void {
  ensureFreshDist()
}
