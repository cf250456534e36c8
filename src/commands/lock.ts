import { Args, Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { hostFlags, hostFlagValues } from './host-flags.js'
import { userPaths } from './user-paths.js'
import type { LockResult } from '../project/lock.js'

export default class Lock extends BaseCommand {
  static override summary = 'Write envctl.lock: the exact resolution (CPU and GPU variants) and the matrix data version.'
  static override description = 'Commit envctl.lock next to envctl.toml: every machine then resolves to the same versions, and `envctl up` records there what the first build installed (base digest, pip packages with hashes, apt and npm versions). A lock that matches the stack keeps its versions; --upgrade re-resolves everything, --upgrade NAME… only the named frameworks or packages. With --upgrade, a stack given as an argument must look like a path (./folder, envctl.toml).'
  static override examples = ['<%= config.bin %> lock', '<%= config.bin %> lock --upgrade', '<%= config.bin %> lock --upgrade numpy', '<%= config.bin %> lock --upgrade pytorch ./envctl.toml', '<%= config.bin %> lock --gpu-arch sm_90 --driver 550.54.14']
  static override strict = false
  static override args = { stack: Args.string({ ignoreStdin: true, description: 'Stack file or folder with envctl.toml (default: ./envctl.toml); with --upgrade, the packages to upgrade.' }) }
  static override flags = { ...hostFlags, upgrade: Flags.boolean({ summary: 'Re-resolve everything, or only the frameworks and packages named as arguments (the rest keep their locked versions).' }) }

  async run(): Promise<LockResult> {
    const { argv, flags } = await this.parse(Lock)
    const { stack, packages } = splitArgs(argv as string[], flags.upgrade)
    const { readHostFacts } = await import('../host/probe.js')
    const { writeLock } = await import('../project/lock.js')
    const { renderChanges } = await import('../lock/diff.js')
    const result = writeLock({ ref: stack, cwd: process.cwd(), host: await readHostFacts(hostFlagValues(flags)), upgrade: flags.upgrade, packages, paths: userPaths() })
    for (const w of result.warnings) this.note(`warning: ${w}`)
    for (const [variant, changes] of Object.entries(result.changes)) {
      this.note(changes.length ? `${variant}:\n${renderChanges(changes)}` : `${variant}: unchanged`)
    }
    this.note(`wrote ${result.path}`)
    return result
  }
}

/** With --upgrade, arguments name packages, except one that looks like a path: the stack. */
function splitArgs(argv: string[], upgrade: boolean): { stack?: string; packages: string[] } {
  const isPath = (a: string) => !upgrade || a.includes('/') || a.endsWith('.toml') || a === '.' || a === '..'
  const paths = argv.filter(isPath)
  if (paths.length > 1) throw new EnvctlError('USAGE', `one stack at a time, got ${paths.join(', ')}`, { hint: 'run: envctl lock --help' })
  return { stack: paths[0], packages: argv.filter((a) => !isPath(a)) }
}
