import type { ContainerInfo, ContainerSpec, Engine, GpuRequest } from '../../engine/engine.js'
import { EnvctlError } from '../../errors/envctl-error.js'
import type { LoadedPlan, Plan } from '../../project/plan.js'
import type { NotebookPlan } from '../../notebook/env-notebook.js'
import type { NotebookInfo } from '../../notebook/await-notebook.js'
import type { EnvIdentity } from '../identity.js'
import type { HeldLock } from '../env-lock.js'
import type { Replacement } from './replace.js'
import type { WorkspaceMount } from '../container/workspace-mount.js'
import type { ServicesRun } from '../../env-services/converge.js'
import type { ServicesPlan } from '../../env-services/plan.js'
import type { ServiceSecrets } from '../../env-services/service-secrets.js'
import type { UpAction, UpInput } from './types.js'
import type { PushResult } from '../../workspace-sync/push.js'

/** The plan made once per run, rendered: what the image is and what it is called. */
export interface Planned {
  plan: Plan
  gpus: GpuRequest | null
  dockerfile: string
  /** Build-context files besides the Dockerfile (the CA bundle, the locked requirements): part of the content hash. */
  contextFiles: Record<string, Buffer>
  hash: string
  tag: string
}

/** The container this run settled on, as the engine reports it. */
export interface Settled {
  id: string
  action: UpAction
  spec: ContainerSpec
  info: ContainerInfo
}

/**
 * Everything `up` works with. Built whole at the start: what later steps produce starts as null and is read
 * through need(), which names the step that should have set it.
 */
export interface UpCtx {
  input: UpInput
  notes: string[]
  notices: string[]
  buildSteps: Map<string, { name: string; cached: boolean }>
  identity: EnvIdentity | null
  held: HeldLock | null
  engine: Engine | null
  /** The engine being contacted while the stack is planned (steps-prepare contactEngineEarly); the engine step awaits it. */
  engineReady: Promise<{ engine: Engine; runtimes: string[] }> | null
  /** The stack as read once per run, and the plan resolved from it. */
  loaded: LoadedPlan | null
  plan: Plan | null
  planned: Planned | null
  image: { id: string; built: boolean } | null
  notebookPlan: NotebookPlan | null
  replacement: Replacement | null
  /** The stack's services, planned with the stack (pure); converged by the services step. */
  servicesPlan: ServicesPlan | null
  /** Generated service passwords (kept 0600 in the state folder), planned with the services. */
  serviceSecrets: ServiceSecrets | null
  /** The secrets file this run created: removed again if the run fails. */
  secretsCreated: string | null
  /** The services beside the environment this run converged (src/env-services), until committed. */
  services: ServicesRun | null
  settled: Settled | null
  notebook: NotebookInfo | null
  /** What /workspace is made from on this engine (engine step). */
  workspaceMount: WorkspaceMount | null
  /** The upload into the workspace volume on a remote engine (workspace step). */
  workspaceUpload: PushResult | null
}

export function newCtx(input: UpInput): UpCtx {
  return { input, notes: [], notices: [], buildSteps: new Map(), identity: null, held: null, engine: null, engineReady: null, loaded: null, plan: null, planned: null, image: null, notebookPlan: null, replacement: null, servicesPlan: null, serviceSecrets: null, secretsCreated: null, services: null, settled: null, notebook: null, workspaceMount: null, workspaceUpload: null }
}

type Produced = 'identity' | 'held' | 'engine' | 'loaded' | 'plan' | 'planned' | 'image' | 'notebookPlan' | 'servicesPlan' | 'serviceSecrets' | 'settled'

/** A value an earlier step produces; its absence is a bug in the step order, not a user error. */
export function need<K extends Produced>(ctx: UpCtx, key: K): NonNullable<UpCtx[K]> {
  const v = ctx[key]
  if (v === null || v === undefined) throw new EnvctlError('UNEXPECTED', `internal: up used ${key} before the step that sets it`)
  return v as NonNullable<UpCtx[K]>
}
