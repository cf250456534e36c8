import type { PipRequirement } from '../types.js'
import type { Requirement } from '../pep440.js'
import type { VersionRange } from '../version-range.js'
import type { FrameworkName } from '../../stack/framework-packages.js'

export type { FrameworkName }

/** What the stack asks of one framework: a range from [frameworks] and/or a pin from packages.pip. */
export interface FrameworkRequest {
  framework: FrameworkName
  range: VersionRange
  /** The pip requirement naming the framework's main package, when the user listed one. */
  pin: Requirement | null
  /** Other pip requirements that belong to the framework (torchvision, torchaudio), as listed. */
  companions: Requirement[]
  /** Human description of where the request came from, for messages. */
  source: string
}

/** One installable choice for one framework: an exact version in one build variant. */
export interface Candidate {
  framework: FrameworkName
  version: string
  /** "cpu", "cu118", … */
  variant: string
  /** CUDA major.minor of the build, null for CPU. */
  cuda: string | null
  cudnn: string | null
  python: string[]
  archs?: string[]
  ptx?: string[]
  /** True when the framework loads CUDA/cuDNN from the system (needs an nvidia/cuda base image). */
  needsSystemCuda: boolean
  /** Libraries beyond the CUDA runtime the image must provide (e.g. "nccl"), as cuda-images.json flavors name them. */
  systemLibraries?: string[]
  requirements: PipRequirement[]
  indexUrls: string[]
  findLinks: string[]
  /** Warnings the data attaches to this choice: unconfirmed facts it relies on, substitutions, cross-release pairings. */
  caveats: string[]
  /** Set by the host checks: runs here, but only with a compromise (minor-version compatibility, PTX JIT). */
  hostWarning?: string
}
