import type { Step } from '../../ui/steps.js'
import { commitServices, convergeServices, newServicesRun } from '../../env-services/converge.js'
import { LABEL } from '../naming.js'
import { keepServiceSecrets } from '../../env-services/service-secrets.js'
import { lockedServices, recordServiceImages } from '../../project/service-lock.js'
import { need, type UpCtx } from './context.js'
import { registryCredentials } from './registry-credentials.js'

/** Whether this environment has services now, or had them before (their containers are to be removed). */
async function nothingToDo(ctx: UpCtx): Promise<boolean> {
  if (need(ctx, 'servicesPlan').services.length) return false
  const key = need(ctx, 'identity').key
  const engine = need(ctx, 'engine')
  const [containers, networks] = await Promise.all([engine.listContainers({ labels: { [LABEL.serviceOf]: key }, all: true }), engine.listNetworks({ labels: { [LABEL.serviceOf]: key } })])
  return containers.length === 0 && networks.length === 0
}

/** Starts the stack's services, each healthy before the next, before the environment that uses them. */
export const servicesStep: Step<UpCtx> = {
  title: 'Start services',
  skip: (ctx) => (ctx.input.buildOnly ? 'build only' : false),
  async run(ctx) {
    if (await nothingToDo(ctx)) return 'none'
    const p = need(ctx, 'planned')
    const plan = need(ctx, 'servicesPlan')
    ctx.services = newServicesRun(plan)
    // Kept before a service first starts with them: its data volume will want them on every later up.
    ctx.secretsCreated = await keepServiceSecrets(need(ctx, 'serviceSecrets'))
    await convergeServices(need(ctx, 'engine'), plan, ctx.services, { registry: p.plan.resolved.mirrors.registry, credentials: registryCredentials(ctx), signal: ctx.input.signal })
    recordDigests(ctx)
    return ctx.services.actions.map((a) => `${a.name} ${a.action}`).join(', ') || 'removing the services no longer in the stack'
  },
}

/** The services' image digests into envctl.lock, as the base image's: not for a built-in stack, nor with --frozen. */
function recordDigests(ctx: UpCtx): void {
  const { lockPath } = need(ctx, 'planned').plan
  if (!lockPath || ctx.input.frozen) return
  const note = recordServiceImages(lockPath, lockedServices(ctx.services!.plan.services, ctx.services!.digests))
  if (note) ctx.notes.push(note)
}

/** Once the environment is in place: replaced and removed services go for good. */
export const servicesCommitStep: Step<UpCtx> = {
  title: 'Settle services',
  skip: (ctx) => (ctx.services ? false : 'no services'),
  async run(ctx) {
    const run = ctx.services!
    await commitServices(need(ctx, 'engine'), run)
    return `${run.plan.services.length} healthy on ${run.plan.network}`
  },
}
