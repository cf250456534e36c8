import type { Matrix } from '../matrix/types.js'
import type { HostFacts } from '../host/types.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { hostVerdict, minimumDriver } from './host-compat.js'
import { compareLoose } from './version-range.js'
import { versionAllowed } from './frameworks/common.js'
import type { Rejections } from './combine.js'
import type { Candidate, FrameworkName, FrameworkRequest } from './frameworks/types.js'

export interface FailureInput {
  matrix: Matrix
  host: HostFacts
  gpu: boolean
  requests: FrameworkRequest[]
  /** Candidates per framework within the user's ranges, in the chosen mode, before host checks. */
  candidates: Map<FrameworkName, Candidate[]>
  /** Candidates per framework ignoring the user's ranges, for "what would work". */
  unconstrained: Map<FrameworkName, Candidate[]>
  rejections: Rejections
}

const label = (c: Candidate): string => `${c.framework} ${c.version}+${c.variant}`
const uniq = <T>(xs: T[]): T[] => [...new Set(xs)]

/** The version and pin allow releases, but none pairs with the user's torchvision/torchaudio pin. */
function companionMismatch(input: FailureInput, req: FrameworkRequest): EnvctlError | null {
  const allowed = (input.unconstrained.get(req.framework) ?? []).filter((c) => versionAllowed(req, c.version))
  const pinned = req.companions.filter((c) => c.specifiers.length > 0)
  if (!allowed.length || !pinned.length) return null
  const newest = allowed[0]
  const pairs = pinned.map((c) => `${c.name} ${newest.requirements.find((r) => r.name === c.name)?.version.replace(/\+.*$/, '') ?? '(none)'}`).join(' and ')
  return new EnvctlError('UNRESOLVABLE', `${req.source} cannot all hold: ${req.framework} ${newest.version}, the newest release the other constraints allow, pairs with ${pairs}`, {
    hint: `remove the ${pinned.map((c) => c.name).join('/')} pin (envctl pairs it with torch), or pin the framework to the release that pairs with it`,
  })
}

function noCandidates(input: FailureInput, req: FrameworkRequest): EnvctlError {
  const mismatch = companionMismatch(input, req)
  if (mismatch) return mismatch
  const known = input.unconstrained.get(req.framework) ?? []
  const versions = uniq(known.map((c) => c.version))
  const span = versions.length ? `the data knows ${versions[versions.length - 1]} … ${versions[0]}` : 'the data has no releases'
  const mode = input.gpu ? 'GPU' : 'CPU'
  return new EnvctlError('UNRESOLVABLE', `no ${req.framework} ${mode} build matches ${req.source} (${span})`, {
    hint: `widen the range, or check the version against data/matrix (envctl resolve --explain shows the rows used)`,
  })
}

/** Prefer another build of the version the user asked for; else the newest release that runs here. */
function workingAlternative(input: FailureInput, req: FrameworkRequest, newest: Candidate | undefined): Candidate | undefined {
  const runs = (input.unconstrained.get(req.framework) ?? []).filter((c) => c.cuda !== null && hostVerdict(input.matrix.cuda, c, input.host).ok)
  return runs.find((c) => c.version === newest?.version) ?? runs[0]
}

function hostFix(input: FailureInput, req: FrameworkRequest): string {
  const newest = (input.candidates.get(req.framework) ?? [])[0]
  const working = workingAlternative(input, req, newest)
  const driver = newest?.cuda ? minimumDriver(input.matrix.cuda, newest.cuda) : null
  const parts: string[] = []
  if (working && working.version === newest?.version) parts.push(`${label(working)} would run here: pin ${working.requirements[0].requirement} in packages.pip`)
  else if (working) parts.push(`${label(working)} would run here: set frameworks.${req.framework} = "~${working.version.split('.').slice(0, 2).join('.')}"`)
  if (driver && input.host.driver && compareLoose(input.host.driver, driver) < 0) parts.push(`or upgrade the NVIDIA driver to ≥ ${driver} for ${label(newest)}`)
  parts.push('or build for CPU with --cpu')
  return parts.join('; ')
}

function hostIncompatible(input: FailureInput, req: FrameworkRequest): EnvctlError {
  const reasons = uniq(input.rejections.host.get(req.framework) ?? []).slice(0, 2)
  const gpu = input.host.gpus.map((g) => (g.name.includes('sm_') ? g.name : `${g.name} (sm_${g.computeCapability.replace('.', '')})`)).join(', ') || 'the planned GPU'
  const msg = `${req.framework} from ${req.source} cannot run on this host — ${gpu}, driver ${input.host.driver ?? 'unknown'}: ${reasons.join('; ')}`
  return new EnvctlError('HOST_INCOMPATIBLE', msg, { hint: hostFix(input, req) })
}

function cudaSets(input: FailureInput): string {
  return input.requests
    .map((r) => {
      const cs = input.candidates.get(r.framework) ?? []
      const cudas = uniq(cs.map((c) => c.cuda ?? 'cpu')).slice(0, 8)
      const pys = uniq(cs.flatMap((c) => c.python)).sort(compareLoose)
      return `${r.framework} (${r.source}) allows CUDA ${cudas.join(', ')} and python ${pys.join(', ')}`
    })
    .join('; ')
}

/** One paragraph: what conflicts, where it was asked for, and what would work instead. */
export function explainFailure(input: FailureInput): EnvctlError {
  for (const req of input.requests) if (!(input.candidates.get(req.framework) ?? []).length) return noCandidates(input, req)
  for (const req of input.requests) {
    const cands = input.candidates.get(req.framework) ?? []
    const rejected = input.rejections.host.get(req.framework)?.length ?? 0
    if (rejected && rejected >= cands.length) return hostIncompatible(input, req)
  }
  const why = input.rejections.combos.slice(0, 3).join('; ')
  return new EnvctlError('UNRESOLVABLE', `no single CUDA, python and base image satisfies every framework: ${cudaSets(input)}${why ? `. Tried: ${why}` : ''}`, {
    hint: 'relax one framework range so their CUDA and python sets overlap, or change [python] version',
  })
}
