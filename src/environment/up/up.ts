import type { Step, StepRunner } from '../../ui/steps.js'
import { EnvctlError } from '../../errors/envctl-error.js'
import { newCtx, need, type UpCtx } from './context.js'
import { rollback } from './replace.js'
import { contactEngineEarly, engineStep, lockStep, resolveStep } from './steps-prepare.js'
import { baseStep, buildStep, recordStep } from './steps-image.js'
import { readyStep, startStep, swapStep } from './steps-start.js'
import { servicesCommitStep, servicesStep } from './steps-services.js'
import { workspaceStep } from './steps-workspace.js'
import { rollbackServices } from '../../env-services/converge.js'
import { removeSecrets } from '../../env-services/secret-store.js'
import type { UpInput, UpResult } from './types.js'
import { gpusText } from '../container/gpus.js'

export type { UpInput, UpResult } from './types.js'

/** Ctrl-C between steps stops before the next one begins; the steps themselves stop their own waits. */
function guarded(step: Step<UpCtx>): Step<UpCtx> {
  return {
    ...step,
    run(ctx, report) {
      if (ctx.input.signal?.aborted) throw new EnvctlError('INTERRUPTED', `interrupted before: ${step.title}`)
      return step.run(ctx, report)
    },
  }
}

export function upSteps(): Step<UpCtx>[] {
  return [lockStep, resolveStep, engineStep, baseStep, buildStep, recordStep, workspaceStep, servicesStep, startStep, readyStep, swapStep, servicesCommitStep].map(guarded)
}

function describe(ctx: UpCtx): UpResult {
  const id = need(ctx, 'identity')
  const p = need(ctx, 'planned')
  const image = need(ctx, 'image')
  const settled = ctx.input.buildOnly ? null : need(ctx, 'settled')
  // The container's GPUs as the engine reports its device requests; for a build, what the image is planned for.
  const gpus = gpusText(settled ? settled.info.gpus : p.gpus)
  return {
    name: id.name,
    container: settled ? id.container : null,
    containerId: settled?.id ?? null,
    image: p.tag,
    imageId: image.id,
    built: image.built,
    action: settled?.action ?? 'built',
    workspace: id.workspace,
    mounts: (settled?.info.mounts ?? []).map((m) => ({ source: m.source, target: m.target })),
    gpus,
    ports: (settled?.info.ports ?? []).map((p) => ({ container: p.containerPort, host: `${p.hostIp}:${p.hostPort}` })),
    shell: `envctl shell ${id.named ? id.name : id.container}`,
    lock: p.plan.lockPath,
    notebook: ctx.notebook,
    workspaceUpload: ctx.workspaceUpload,
    buildSteps: [...ctx.buildSteps.values()],
    services: (ctx.services?.plan.services ?? []).map((s) => ({ name: s.name, container: s.container, image: s.spec.image, action: ctx.services!.actions.find((a) => a.name === s.name)!.action })),
    notes: ctx.notes,
    warnings: [...ctx.notices, ...p.plan.resolved.warnings],
  }
}

/** A failure after the replacement began leaves the previous container as it was; what could not be undone is said. */
async function undo(ctx: UpCtx, err: unknown): Promise<unknown> {
  if (!ctx.engine) return err
  const problems = [...(ctx.replacement ? await rollback(ctx.engine, ctx.replacement) : []), ...(ctx.services ? await rollbackServices(ctx.engine, ctx.services) : []), ...(await dropNewVolume(ctx.engine, ctx))]
  // Passwords first made by this run open nothing once its data volumes are gone.
  if (ctx.secretsCreated) await removeSecrets(ctx.secretsCreated).catch((e: Error) => problems.push(`could not remove ${ctx.secretsCreated}: ${e.message}`))
  if (problems.length === 0 || !(err instanceof EnvctlError)) return err
  return new EnvctlError(err.code, err.message, { problems: [...err.problems, ...problems.map((message) => ({ message }))], hint: err.hint, cause: err })
}

/** A workspace volume this run made goes with the failed run (the next up uploads again); one that was there stays. */
async function dropNewVolume(engine: NonNullable<UpCtx['engine']>, ctx: UpCtx): Promise<string[]> {
  const made = ctx.workspaceUpload?.created ? ctx.workspaceUpload.volume : null
  if (!made) return []
  return engine.removeVolume(made, { force: true }).then(() => [], (e: Error) => [`could not remove the new workspace volume ${made}: ${e.message}`])
}

/**
 * Build if needed and start, holding the environment's lock: one run at a time per environment converges on
 * one container, and a changed environment is replaced only once its replacement works.
 */
export async function up(input: UpInput, runSteps: StepRunner): Promise<UpResult> {
  const ctx = newCtx(input)
  contactEngineEarly(ctx)
  try {
    await runSteps(upSteps(), ctx)
  } catch (err) {
    throw await undo(ctx, err)
  } finally {
    await ctx.held?.release()
  }
  return describe(ctx)
}
