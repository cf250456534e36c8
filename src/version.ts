import { readFileSync } from 'node:fs'

/** envctl's own version, from package.json (read once; recorded in locks). */
export const ENVCTL_VERSION: string = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version
