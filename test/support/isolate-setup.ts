/**
 * Vitest setupFiles entry, run in every test file's process: HOME, XDG_* and DOCKER_CONFIG point at fresh
 * folders of this file (see isolated-env.ts), so that in-process code and every child the file spawns,
 * through the helpers or not, see none of the developer's config.
 */
import { afterAll } from 'vitest'
import { isolatedEnv, removeIsolatedEnvs } from './isolated-env.js'

Object.assign(process.env, isolatedEnv())
afterAll(removeIsolatedEnvs)
