import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../base-command.js'
import { hostFlags, hostFlagValues } from './host-flags.js'
import type { LockResult } from '../services/lock.js'

export default class Lock extends BaseCommand {
  static override summary = 'Write envctl.lock: the exact resolution (CPU and GPU variants) and the matrix data version.'
  static override description = 'Commit envctl.lock next to envctl.toml: every machine then resolves to the same versions. A lock that matches the stack keeps its versions; --upgrade re-resolves against the current compatibility data.'
  static override examples = ['<%= config.bin %> lock', '<%= config.bin %> lock --upgrade', '<%= config.bin %> lock --gpu-arch sm_90 --driver 550.54.14']
  static override args = { stack: Args.string({ ignoreStdin: true, description: 'Stack file or folder with envctl.toml (default: ./envctl.toml).' }) }
  static override flags = { ...hostFlags, upgrade: Flags.boolean({ summary: 'Re-resolve everything, ignoring the versions in the current lock.' }) }

  async run(): Promise<LockResult> {
    const { args, flags } = await this.parse(Lock)
    const { readHostFacts } = await import('../host/probe.js')
    const { writeLock } = await import('../services/lock.js')
    const { renderChanges } = await import('../lock/diff.js')
    const result = writeLock({ ref: args.stack, cwd: process.cwd(), host: await readHostFacts(hostFlagValues(flags)), upgrade: flags.upgrade })
    for (const w of result.warnings) this.note(`warning: ${w}`)
    for (const [variant, changes] of Object.entries(result.changes)) {
      this.note(changes.length ? `${variant}:\n${renderChanges(changes)}` : `${variant}: unchanged`)
    }
    this.note(`wrote ${result.path}`)
    return result
  }
}
