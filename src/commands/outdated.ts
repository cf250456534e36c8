import { Args, Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import { hostFlags, hostFlagValues } from './host-flags.js'
import { userPaths } from './user-paths.js'
import type { OutdatedResult } from '../project/outdated.js'

export default class Outdated extends BaseCommand {
  static override summary = 'List newer versions than envctl.lock holds: framework releases and pip packages.'
  static override description = "Frameworks are compared with the compatibility data (newest in the stack's range, and newest at all); each top-level pip requirement with the versions the configured index lists. An index that cannot be reached is reported per package. Nothing is changed: `envctl lock --upgrade NAME` moves a package."
  static override examples = ['<%= config.bin %> outdated', '<%= config.bin %> outdated --json', '<%= config.bin %> outdated --timeout 3']
  static override args = { stack: Args.string({ ignoreStdin: true, description: 'Stack file or folder with envctl.toml (default: ./envctl.toml).' }) }
  static override flags = {
    ...hostFlags,
    timeout: Flags.integer({ summary: 'Seconds to wait for the package index, per package.', default: 10, min: 1 }),
  }

  async run(): Promise<OutdatedResult> {
    const { args, flags } = await this.parse(Outdated)
    const { readHostFacts } = await import('../host/probe.js')
    const { outdated } = await import('../project/outdated.js')
    const { formatTable } = await import('../ui/table.js')
    const host = await readHostFacts(hostFlagValues(flags))
    const result = await outdated({ ref: args.stack, cwd: process.cwd(), host, paths: userPaths(), timeoutMs: flags.timeout * 1000 })
    const rows = result.rows.map((r) => [r.kind, r.name, r.locked ?? '-', r.wanted ?? '-', r.latest ?? '-', r.status])
    if (!this.jsonEnabled()) this.log(formatTable(['KIND', 'NAME', 'LOCKED', 'WANTED', 'LATEST', 'STATUS'], rows))
    for (const r of result.rows) if (['offline', 'not found', 'error'].includes(r.status)) this.note(`${r.name}: ${r.status}: ${r.source}`)
    return result
  }
}
