import type { Step } from '../../ui/steps.js'
import { EnvctlError } from '../../errors/envctl-error.js'
import { pushWorkspace } from '../../workspace-sync/push.js'
import { pushLine } from '../../workspace-sync/summary.js'
import { ensureWorkspaceVolume } from '../../workspace-sync/volume.js'
import { need, type UpCtx } from './context.js'

/**
 * On a remote engine without `workspace = "remote:…"`: the workspace goes into the environment's volume
 * before the container starts, so its command sees the files. Only what changed since the last upload is sent.
 */
export const workspaceStep: Step<UpCtx> = {
  title: 'Upload workspace',
  skip: (ctx) => (ctx.input.buildOnly ? 'build only' : ctx.workspaceMount?.volume ? false : 'bind-mounted'),
  async run(ctx) {
    const p = need(ctx, 'planned')
    const { stateDir, host, workspace } = ctx.input
    if (!stateDir) throw new EnvctlError('UNEXPECTED', 'internal: up needs the state folder to upload the workspace')
    const engine = need(ctx, 'engine')
    const id = need(ctx, 'identity')
    const target = await ensureWorkspaceVolume(engine, id)
    const r = await pushWorkspace(engine, { envKey: id.key, workspace, exclude: p.plan.spec.workspaceExclude, image: p.tag, uid: host.uid, gid: host.gid, stateDir }, target)
    ctx.workspaceUpload = r
    const line = pushLine(r)
    ctx.notes.push(line, ...r.notes)
    if (r.skipped.length) ctx.notices.push(`workspace: not uploaded (not a file, folder or short link): ${r.skipped.join(', ')}`)
    return line.replace(/^workspace: /, '')
  },
}
