import { Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import { lockDir, stateDir } from './state-dir.js'
import { userPaths } from './user-paths.js'
import { envNameArg, engineFor, targetEnv, targetText } from './env-args.js'
import type { SyncEnvResult } from '../workspace-sync/sync-env.js'

export default class Sync extends BaseCommand {
  static override summary = 'Upload workspace changes to a remote engine, or bring files made there back (--pull).'
  static override description = `On a remote engine, up uploads the workspace into a volume there (docs/REMOTE.md). envctl sync sends what changed here since the last sync without a whole up; envctl sync --pull brings files changed or made in the volume back into this folder, and deletes here what was deleted there. Only changed files travel; .gitignore and [workspace] exclude are respected both ways, so an ignored local file is never overwritten or deleted. A file changed here and there since the last sync is kept as it is here and named. On a local engine /workspace is this folder itself: there is nothing to do.`

  static override examples = [
    { description: 'Upload what changed here', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'Bring back what the environment wrote', command: '<%= config.bin %> <%= command.id %> --pull' },
  ]

  static override args = { name: envNameArg }
  static override flags = { pull: Flags.boolean({ summary: 'Bring changed files from the environment\'s volume back into this folder.' }) }

  async run(): Promise<SyncEnvResult> {
    const { args, flags } = await this.parse(Sync)
    const [{ syncEnv }, { pushLine, pullLines }, { withSpinner }] = await Promise.all([import('../workspace-sync/sync-env.js'), import('../workspace-sync/summary.js'), import('./step-runner.js')])
    const env = await targetEnv(args.name)
    const input = { env, pull: flags.pull, uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, stateDir: stateDir(), lockDir: lockDir(), paths: userPaths() }
    const r = await withSpinner(`${flags.pull ? 'pulling' : 'uploading'} the workspace of ${targetText(env)}`, this.jsonEnabled(), async () => syncEnv(await engineFor(flags), input))
    if (r.action === 'none') this.log(`nothing to do: ${r.reason}`)
    else if (r.action === 'push') this.log(pushLine(r.push))
    else for (const line of pullLines(r.pull)) this.log(line)
    return r
  }
}
