/**
 * Vitest setupFiles entry, run in every test file's process: HOME, XDG_* and DOCKER_CONFIG point at fresh
 * folders of this file (see isolated-env.ts), so that in-process code and every child the file spawns,
 * through the helpers or not, see none of the developer's config.
 */
import { afterAll, inject } from 'vitest'
import { isolatedEnv, removeIsolatedEnvs, setIsolationParent } from './isolated-env.js'

// The run's folder (isolation-base.ts) also removes what a file whose tests were all skipped leaves.
const runFolder = inject('isolationBase')
if (runFolder) setIsolationParent(runFolder)
Object.assign(process.env, isolatedEnv())
afterAll(removeIsolatedEnvs)
