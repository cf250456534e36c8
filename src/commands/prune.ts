import { Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import { lockDir } from './state-dir.js'
import type { PruneResult } from '../environment/prune.js'
import { engineFor } from './env-args.js'

export default class Prune extends BaseCommand {
  static override summary = 'Remove envctl images and caches that nothing uses.'
  static override description = `Removes images envctl built (label dev.envctl.managed=1) that no container, running or stopped, was created from; never an image an existing container uses. Also prunes the engine's dangling build cache (BuildKit's cache has no labels, so this is engine-wide, like docker builder prune), or all unused build cache with --all. With --volumes, also envctl cache volumes no envctl container mounts. --dry-run lists what would go and removes nothing.`

  static override examples = [
    { description: 'See what would go', command: '<%= config.bin %> <%= command.id %> --dry-run' },
    { description: 'Reclaim everything envctl can', command: '<%= config.bin %> <%= command.id %> --all --volumes' },
  ]

  static override flags = {
    all: Flags.boolean({ summary: 'Prune all unused build cache, not only dangling entries.' }),
    volumes: Flags.boolean({ summary: 'Also remove cache volumes that no envctl container mounts.' }),
    'dry-run': Flags.boolean({ summary: 'List what would be removed; remove nothing.' }),
  }

  async run(): Promise<PruneResult> {
    const { flags } = await this.parse(Prune)
    const [{ prune }, { pruneReport }] = await Promise.all([import('../environment/prune.js'), import('../environment/prune-plan.js')])
    const result = await prune(await engineFor(flags), { all: flags.all, volumes: flags.volumes, dryRun: flags['dry-run'], lockDir: lockDir(), uid: process.getuid?.() ?? 0 })
    this.log(pruneReport(result))
    return result
  }
}
