#!/usr/bin/env node
// Development entry: builds first (tsc, then the bundle bin/run.js runs) so that a change in src/ is what runs.
import { execSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

execSync('npm run build --silent', { cwd: fileURLToPath(new URL('..', import.meta.url)), stdio: 'inherit' })
const { loadBundle } = await import('./bundle-loader.js')
await loadBundle().exports.run({ development: true })
