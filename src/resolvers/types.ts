import type { MirrorsSpec, NetworkSpec, RunSpec, GpuMode } from '../stack/types.js'

export type Runtime = 'python' | 'node' | 'java' | 'none'

/** pip's view of where packages come from, in the order pip will be given them. */
export interface PipSources {
  indexUrl: string | null
  extraIndexUrls: string[]
  findLinks: string[]
  trustedHosts: string[]
}

/** One line of a resolved pip install: the exact requirement string pip gets and why it is there. */
export interface PipRequirement {
  name: string
  /** Exact version when known ("2.3.1+cu121"), otherwise the specifier as the user wrote it (">=1.26", "*"). */
  version: string
  /** The PEP 508 string handed to pip, e.g. "torch==2.3.1+cu121" or "numpy>=1.26". */
  requirement: string
  /** 'stack' when the user asked for it, 'companion' when envctl added it (torchvision for torch), 'tooling' (jupyterlab). */
  reason: 'stack' | 'companion' | 'tooling'
}

/**
 * The three pip layers, least likely to change first: the heavy framework wheels, the tooling every Python
 * environment gets (JupyterLab and its dependencies), then the stack's own packages, so that changing a
 * user pin reinstalls neither the framework nor JupyterLab.
 */
export type PipLayer = 'framework' | 'tooling' | 'user'

/** The pip layers in build order. */
export const PIP_LAYERS: readonly PipLayer[] = ['framework', 'tooling', 'user']

/** One pip package exactly as envctl.lock pins it. */
export interface PinnedPip {
  /** PEP 503 normalised name. */
  name: string
  version: string
  /** sha256 of the file installed, when the index gave one. */
  sha256?: string
  /** Direct reference (PEP 610) for a package that did not come from an index, e.g. "git+https://…@<commit>". */
  url?: string
  layer: PipLayer
}

/**
 * What envctl.lock pins of the installed set. Filled by plan() from the lock, never by the resolver; absent
 * before the first build. A pip layer whose requirements are all pinned and none released installs exactly
 * its pins; otherwise it resolves its requirements again, with its remaining pins as constraints.
 */
export interface LockedInstall {
  pip: PinnedPip[]
  /**
   * Pins the next build must not keep (a requirement changed, or `envctl lock --upgrade` named them): the
   * layer each was in resolves again.
   */
  releasedPip: PinnedPip[]
  /** Debian packages the apt step added: name → version. */
  apt: Record<string, string>
  /** Global npm packages: name → version. */
  npm: Record<string, string>
}

export interface ResolvedBase {
  image: string
  /** Pinned digest, when a lock or a registry lookup supplied one. */
  digest?: string
  os: string
  /** Whether the base brings its own python3, and which. */
  python: string | null
  /** Set when the tag no longer exists upstream and must come from a mirror or be rebuilt. */
  deletedUpstream?: boolean
}

/**
 * The complete, exact description of an environment. The Dockerfile is a pure function of this value,
 * and its hash names the image.
 */
export interface ResolvedStack {
  stack: string
  runtime: Runtime
  python: string | null
  cuda: string | null
  cudnn: string | null
  gpu: boolean
  gpuMode: GpuMode
  base: ResolvedBase
  /** Frameworks that were resolved, name → exact version ("pytorch" → "2.3.1"). */
  frameworks: Record<string, string>
  /** Wheel variant of each framework ("pytorch" → "cu121"). */
  variants: Record<string, string>
  pip: PipRequirement[]
  pipSources: PipSources
  apt: string[]
  npm: string[]
  maven: string[]
  node: string | null
  java: { version: string; build: 'maven' | 'gradle' | null } | null
  env: Record<string, string>
  notebook: { enabled: boolean; port: number | null }
  mirrors: MirrorsSpec
  network: NetworkSpec
  run: RunSpec
  warnings: string[]
  /** Version of data/matrix used. */
  matrixVersion: string
  /** One line per decision: how each value was chosen (for `resolve --explain`). */
  explain: Array<{ key: string; value: string; because: string }>
  /** The installed set envctl.lock pins, once a build has recorded it. */
  locked?: LockedInstall
}
