import type { PushResult } from '../../workspace-sync/push.js'
import type { EngineEndpoint } from '../../engine/engine-endpoint.js'
import type { HostFacts } from '../../host/types.js'
import type { EnvctlPaths } from '../../config/paths.js'
import type { NotebookRequest } from '../../notebook/env-notebook.js'
import type { NotebookInfo } from '../../notebook/await-notebook.js'

export interface UpInput {
  ref?: string
  cwd: string
  /** The workspace's canonical real path (resolved at the edge): part of the environment's identity. */
  workspace: string
  host: HostFacts
  /** The engine endpoint and where its choice came from, found at the edge. */
  engine?: EngineEndpoint
  sshAgent?: string
  /** DOCKER_CONFIG or ~/.docker, read at the edge: registry credentials for pulls. */
  dockerConfigDir?: string
  /** User config, git cache and home, read at the edge. */
  paths?: EnvctlPaths
  /** The shared folder for per-environment lock files, found at the edge. */
  lockDir: string
  gpus?: string
  name?: string
  noCache?: boolean
  pull?: boolean
  frozen?: boolean
  /** --allow-exposure: a stack from git or outside the project may widen exposure (run.bind, build_network). */
  allowExposure?: boolean
  /** Build only; do not start a container. */
  buildOnly?: boolean
  /** The user's state folder (found at the edge): generated service passwords (0600) and the manifest of a workspace uploaded to a remote engine. */
  stateDir?: string
  /** JupyterLab in the environment: --notebook, --port, and where its token file goes. */
  notebook?: NotebookRequest
  signal?: AbortSignal
}

export type UpAction = 'created' | 'replaced' | 'started' | 'running' | 'built'

export interface UpResult {
  name: string
  container: string | null
  containerId: string | null
  image: string
  imageId: string
  built: boolean
  /**
   * 'created' (new container), 'replaced' (a changed spec: the new one took over the name), 'started' (the same
   * container was stopped), 'running' (no-op, verified on the engine), 'built' (build only).
   */
  action: UpAction
  workspace: string
  /** As the engine reports them for the container, not as planned. */
  mounts: Array<{ source: string; target: string }>
  /** The container's GPUs as the engine reports them, in --gpus words: none, all, count=N, device=IDS. */
  gpus: string
  /** As the engine reports them for the container, not as planned. */
  ports: Array<{ container: number; host: string }>
  shell: string
  lock: string | null
  /** The running notebook: its URL (with the token), host port, and the 0600 file holding the token. */
  notebook: NotebookInfo | null
  /** On an ssh:// engine: the background forwarder that brings ports and notebook to 127.0.0.1 here. */
  tunnel?: { pid: number; mappings: Array<{ remote: number; local: number }> }
  /** The build's steps as BuildKit reported them: which were served from cache. Empty when nothing was built. */
  buildSteps: Array<{ name: string; cached: boolean }>
  /** On a remote engine: the workspace upload into the environment's volume; null when /workspace is a bind mount. */
  workspaceUpload: PushResult | null
  /** The services beside the environment, in start order: each healthy, reachable from it by `name`. */
  services: Array<{ name: string; container: string; image: string; action: 'kept' | 'started' | 'created' | 'replaced' }>
  /** What envctl did on the side (lock written, CPU fallback, old container replaced). */
  notes: string[]
  warnings: string[]
}
