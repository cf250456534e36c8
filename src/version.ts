import { readFileSync } from 'node:fs'
import { packagePath } from './package-root.js'

/** envctl's own version, from package.json (read once; recorded in locks). */
export const ENVCTL_VERSION: string = JSON.parse(readFileSync(packagePath('package.json'), 'utf8')).version
