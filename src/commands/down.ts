import { Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import { lockDir, stateDir } from './state-dir.js'
import type { DownResult } from '../environment/down.js'
import { envNameArg, engineFor, targetEnv, targetText } from './env-args.js'

export default class Down extends BaseCommand {
  static override summary = "Remove the environment's container; your workspace files are never touched."
  static override description = `Stops and removes the container. The workspace folder is yours and stays as it is; the image stays for the next envctl up (envctl prune removes unused ones). Its services (docs/SERVICES.md) and their network are removed with it; their data volumes stay unless --volumes, and so does the volume a remote engine holds the uploaded workspace in (docs/REMOTE.md). Cache volumes (pip, npm, maven, huggingface) are shared by environments and stay too; with --volumes, those this environment used are removed unless another envctl environment still uses them, and the output says which were kept and why.`

  static override examples = [
    { description: 'The project here', command: '<%= config.bin %> <%= command.id %>' },
    { description: 'A named environment, with the caches only it used', command: '<%= config.bin %> <%= command.id %> myproject --volumes' },
  ]

  static override args = { name: envNameArg }
  static override flags = { volumes: Flags.boolean({ summary: 'Also remove its services\' data volumes, its uploaded workspace volume (remote engines) and the cache volumes it used that no other environment uses.' }) }

  async run(): Promise<DownResult> {
    const { args, flags } = await this.parse(Down)
    const [{ downEnv }, { withSpinner }] = await Promise.all([import('../environment/down.js'), import('./step-runner.js')])
    const env = await targetEnv(args.name)
    const r = await withSpinner(`removing ${targetText(env)}`, this.jsonEnabled(), async () => downEnv(await engineFor(flags), { env, volumes: flags.volumes, lockDir: lockDir(), stateDir: stateDir() }))
    const lines = [`removed ${r.container}${r.workspace ? ` (workspace ${r.workspace} untouched)` : ''}`, `kept image ${r.image}`]
    for (const v of r.volumes.removed) lines.push(`removed volume ${v}`)
    for (const k of r.volumes.kept) lines.push(`kept volume ${k.name}: ${k.reason}`)
    for (const c of r.services.containers) lines.push(`removed service ${c}`)
    for (const v of r.services.volumes) lines.push(`removed service data ${v}`)
    for (const v of r.services.keptVolumes) lines.push(`kept service data ${v} (down --volumes removes it)`)
    if (r.workspaceVolume) lines.push(r.workspaceVolume.removed ? `removed workspace volume ${r.workspaceVolume.name}` : `kept workspace volume ${r.workspaceVolume.name} (down --volumes removes it; files made there since the last envctl sync --pull are only there)`)
    if (r.tokenFile) lines.push(`removed notebook token ${r.tokenFile}`)
    if (r.secretsFile) lines.push(`removed service passwords ${r.secretsFile}`)
    this.log(lines.join('\n'))
    return r
  }
}
