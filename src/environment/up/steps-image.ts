import type { ProgressEvent } from '../../engine/engine.js'
import type { Step } from '../../ui/steps.js'
import { lockSkip } from '../../project/lock-skip.js'
import { withWrittenLock } from '../../project/plan.js'
import { EnvctlError } from '../../errors/envctl-error.js'
import { LABEL } from '../naming.js'
import { ensureBase, ensureImage } from '../image/image.js'
import { ensureCaches } from '../container/caches.js'
import { progressLine } from '../image/progress-text.js'
import { need, type UpCtx } from './context.js'
import { renderPlan } from './steps-prepare.js'
import { registryCredentials } from './registry-credentials.js'

export const baseStep: Step<UpCtx> = {
  title: 'Pull base image',
  async run(ctx, report) {
    const engine = need(ctx, 'engine')
    const { plan, tag } = need(ctx, 'planned')
    if (!ctx.input.pull && !ctx.input.noCache) {
      // The image this run needs is already there: the build step uses what this one inspect says.
      const cached = await engine.inspectImage(tag).catch((err: unknown) => {
        if (err instanceof EnvctlError && err.code === 'NOT_FOUND') return null
        throw err
      })
      if (cached) {
        ctx.image = { id: cached.id, built: false }
        return 'not needed (image cached)'
      }
    }
    const onProgress = (e: ProgressEvent) => { const l = progressLine(e); if (l) report.output(l) }
    const r = await ensureBase(engine, plan.resolved, { onProgress, force: ctx.input.pull, credentials: registryCredentials(ctx), signal: ctx.input.signal })
    return r === 'present' ? `${plan.resolved.base.image} present` : `pulled ${plan.resolved.base.image}`
  },
}

export const buildStep: Step<UpCtx> = {
  title: 'Build image',
  async run(ctx, report) {
    const p = need(ctx, 'planned')
    // `build` leaves what an export names ready: the image, and the cache volumes a Compose file mounts.
    if (ctx.input.buildOnly) await ensureCaches(need(ctx, 'engine'), p.plan.resolved.runtime)
    if (ctx.image) return `cached ${p.tag}`
    const r = await ensureImage(need(ctx, 'engine'), {
      resolved: p.plan.resolved,
      dockerfile: p.dockerfile,
      contextFiles: p.contextFiles,
      tag: p.tag,
      labels: { [LABEL.managed]: '1', [LABEL.stack]: p.plan.spec.name, [LABEL.specHash]: p.hash },
      noCache: ctx.input.noCache,
      pull: ctx.input.pull,
      signal: ctx.input.signal,
      onProgress: (e) => {
        if (e.kind === 'step' && (e.done || e.cached)) ctx.buildSteps.set(e.name, { name: e.name, cached: e.cached })
        const l = progressLine(e)
        if (l) report.output(l)
      },
    })
    ctx.image = { id: r.imageId, built: r.built }
    return r.built ? `built ${p.tag}` : `cached ${p.tag}`
  },
}

/**
 * After a build, envctl.lock records what the image holds; the image is then also exactly what the locked
 * Dockerfile describes, so it gets that tag too and the next run (or another checkout here) finds it.
 */
export const recordStep: Step<UpCtx> = {
  title: 'Record envctl.lock',
  skip: (ctx) => lockSkip(need(ctx, 'planned').plan, ctx.input.frozen),
  async run(ctx) {
    const engine = need(ctx, 'engine')
    const built = need(ctx, 'planned')
    const { input } = ctx
    const { recordLock } = await import('../../project/record-lock.js')
    const rec = await recordLock(engine, built.tag, built.plan, { ref: input.ref, cwd: input.cwd, host: input.host, paths: input.paths })
    ctx.notes.push(...rec.notes)
    ctx.notices.push(...rec.warnings)
    const locked = renderPlan(withWrittenLock(built.plan, rec.lock), built.gpus)
    if (locked.tag !== built.tag) {
      await need(ctx, 'held').update({ image: locked.tag })
      if (!(await engine.imageExists(locked.tag))) await engine.tagImage(built.tag, locked.tag)
      ctx.image = { ...need(ctx, 'image'), id: (await engine.inspectImage(locked.tag)).id }
    }
    ctx.planned = locked
    return rec.summary
  },
}
