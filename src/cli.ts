// Entry of the single-file build (scripts/bundle.mjs → dist/bundle/envctl.cjs) that bin/run.js loads: one file
// instead of ~360 modules, because Node 20 spends most of a short command's start-up resolving and compiling
// modules one by one. oclif finds the commands and the hook in this same module (package.json names it as
// oclif.commands.target and as the hook's target), so the CLI runs on one copy of oclif.
import { tmpdir } from 'node:os'
import { execute } from '@oclif/core'
import { loadDockerode } from './engine/load-dockerode.js'

export { COMMANDS } from './commands/index.js'
export { default as commandNotFound } from './commands/command-not-found.js'
export { loadDockerode }

/** Runs the CLI on process.argv (bin/run.js; bin/dev.js with oclif's development mode). */
export function run(opts: { development?: boolean } = {}): Promise<unknown> {
  return execute({ dir: import.meta.url, development: opts.development })
}

/**
 * Loads what `up`, `ls` and `exec` load on their way, and plans and renders two built-in stacks for a CPU and
 * a GPU host (pure: no engine, no user config): the build calls it before writing the bundle's code cache
 * (bin/bundle-loader.js), and V8 caches the functions compiled so far, so a short command compiles little.
 */
export async function preloadHotPath(): Promise<void> {
  const [{ plan }, { renderPlan }] = await Promise.all([import('./project/plan.js'), import('./environment/up/steps-prepare.js'), import('./commands/run-up.js'), import('./environment/up/up.js'), import('./environment/ls.js'), import('./environment/env-list.js'), import('./environment/exec.js'), import('./engine/dockerode-engine.js')])
  loadDockerode()
  const cpu = { gpuSource: 'none' as const, gpus: [], driver: null, driverCuda: null, forceCpu: false, uid: 1000, gid: 1000, platform: 'linux', arch: 'x64' }
  const gpu = { ...cpu, gpuSource: 'flags' as const, gpus: [{ index: 0, name: 'GPU', computeCapability: '9.0' }], driver: '580.0', driverCuda: '13.0' }
  for (const ref of ['node', 'pytorch']) for (const host of [cpu, gpu]) renderPlan(plan({ ref, cwd: tmpdir(), host }), null)
}
