import { Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import { stackArg } from './stack-arg.js'
import { hostFlags, hostFlagValues } from './host-flags.js'
import { userPaths } from './user-paths.js'
import type { ResolveView } from '../project/resolve-view.js'

export default class Resolve extends BaseCommand {
  static override summary = 'Resolve a stack to exact versions, CUDA, python and base image for this host.'
  static override description = 'Reads the stack (a built-in name, a file, or the envctl.toml here), checks it against the compatibility data and the host (GPU architecture, NVIDIA driver), and prints what would be built. Uses envctl.lock when it matches the stack.'
  static override examples = [
    '<%= config.bin %> resolve pytorch',
    '<%= config.bin %> resolve --gpu-arch sm_90 --driver 550.54.14',
    '<%= config.bin %> resolve ./envctl.toml --json',
    '<%= config.bin %> resolve --explain',
  ]
  static override args = { stack: stackArg }
  static override flags = {
    ...hostFlags,
    explain: Flags.boolean({ summary: 'Say why each value was chosen (which file and line, which matrix row).' }),
    upgrade: Flags.boolean({ summary: 'Ignore envctl.lock and resolve afresh.' }),
  }

  async run(): Promise<ResolveView> {
    const { args, flags } = await this.parse(Resolve)
    const { readHostFacts } = await import('../host/probe.js')
    const { plan } = await import('../project/plan.js')
    const { resolveView, renderResolveTable } = await import('../project/resolve-view.js')
    const host = await readHostFacts(hostFlagValues(flags))
    const p = plan({ ref: args.stack, cwd: process.cwd(), host, upgrade: flags.upgrade, paths: userPaths() })
    const view = resolveView(p.resolved, p.lockStatus, flags.explain)
    if (!this.jsonEnabled()) this.log(renderResolveTable(view))
    return view
  }
}
