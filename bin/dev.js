#!/usr/bin/env node
// Development entry: builds first so that a change in src/ is what runs.
import { execSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { execute } from '@oclif/core'

execSync('npx tsc -p tsconfig.build.json', { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' })
await execute({ development: true, dir: import.meta.url })
