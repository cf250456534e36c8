// Entry of the single-file envctl that bench/gpu-pack.sh builds for machines without node_modules (a lent GPU
// machine). oclif finds the commands and the command_not_found hook in this same file: the package.json written
// beside the bundle names it as oclif.commands.target and as the hook's target. No top-level await: oclif imports
// this module while it runs, which would wait forever.
import { execute } from '@oclif/core'

export { COMMANDS, commandNotFound } from '../dist/cli.js'

execute({ dir: import.meta.url }).catch((err) => {
  process.stderr.write(`${err?.stack ?? err}\n`)
  process.exitCode = 1
})
