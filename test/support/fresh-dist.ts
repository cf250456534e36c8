/**
 * Vitest globalSetup: command and integration tests run the built CLI (bin/run.js → dist/bundle/envctl.cjs,
 * bundled from dist/), so dist/ must be what src/ says now. Rebuilds (tsc -p tsconfig.build.json) when any
 * source is newer than its output, or when an output is missing, and then the bundle (scripts/bundle.mjs)
 * when it is older than dist/ or the files that make it; a fresh dist costs one directory walk. A failed
 * build stops the run with tsc's own message instead of testing an old dist.
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

function* sources(dir: string, ext = '.ts'): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sources(path, ext)
    else if (entry.name.endsWith(ext) && !entry.name.endsWith('.d.ts')) yield path
  }
}

/** The single-file build bin/run.js loads (scripts/bundle.mjs). */
const BUNDLE = join('dist', 'bundle', 'envctl.cjs')
const BUNDLE_MAKERS = [join('scripts', 'bundle.mjs'), join('bin', 'bundle-loader.js'), 'package.json']

/** Why dist/bundle/envctl.cjs under `repo` is stale, or undefined when it is newer than dist/ and what makes it. */
export function staleBundle(repo: string): string | undefined {
  const bundle = join(repo, BUNDLE)
  if (!existsSync(bundle)) return `${BUNDLE} is missing`
  const built = statSync(bundle).mtimeMs
  for (const file of [...BUNDLE_MAKERS.map((f) => join(repo, f)), ...sources(join(repo, 'dist'), '.js')]) {
    if (file === bundle || !existsSync(file)) continue
    if (statSync(file).mtimeMs > built) return `${relative(repo, file)} changed after ${BUNDLE} was built`
  }
  return undefined
}

/** Builds dist/ when it is stale; throws tsc's output when the build fails. */
export function ensureFreshDist(repo = root): void {
  const why = staleDist(repo)
  if (why !== undefined) {
    console.log(`building dist/ before the tests (${why})`)
    const tsc = createRequire(join(repo, 'package.json')).resolve('typescript/bin/tsc')
    buildStep(repo, [tsc, '-p', 'tsconfig.build.json'])
  }
  const whyBundle = staleBundle(repo)
  if (whyBundle === undefined) return
  console.log(`bundling dist/ before the tests (${whyBundle})`)
  buildStep(repo, [join(repo, 'scripts', 'bundle.mjs')])
}

function buildStep(repo: string, args: string[]): void {
  const r = spawnSync(process.execPath, args, { cwd: repo, encoding: 'utf8' })
  if (r.status !== 0) throw new Error(`npm run build failed, so the CLI the tests run would be stale:\n${r.stdout}${r.stderr}`)
}

export default function setup(): void {
  ensureFreshDist()
}
