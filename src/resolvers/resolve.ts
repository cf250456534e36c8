import type { Matrix } from '../matrix/types.js'
import type { HostFacts } from '../host/types.js'
import type { StackSpec } from '../stack/types.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { ResolvedBase, ResolvedStack, Runtime } from './types.js'
import { ANY, parseRange, type VersionRange } from './version-range.js'
import { decideGpu, runtimeOf } from './runtime.js'
import { frameworkRequests } from './frameworks/requests.js'
import { torchCandidates } from './frameworks/torch.js'
import { tensorflowCandidates } from './frameworks/tensorflow.js'
import { mxnetCandidates } from './frameworks/mxnet.js'
import type { Candidate, FrameworkName, FrameworkRequest } from './frameworks/types.js'
import { search, type Combo } from './combine.js'
import { explainFailure } from './explain-failure.js'
import { assemblePip, pipSources, tooling } from './pip.js'
import { resolveJava, resolveNode } from './languages.js'
import { pythonBase } from './base-image.js'
import { describeCombo, describeInputs, describeLanguage } from './explain.js'
import { followFrameworks, pythonConflict } from './python-layer.js'

type Explain = ResolvedStack['explain']

function candidatesFor(req: FrameworkRequest, matrix: Matrix): Candidate[] {
  if (req.framework === 'pytorch') return torchCandidates(req, matrix)
  if (req.framework === 'tensorflow') return tensorflowCandidates(req, matrix)
  return mxnetCandidates(req, matrix)
}

function byMode(cands: Candidate[], gpu: boolean): Candidate[] {
  return cands.filter((c) => (gpu ? c.cuda !== null : c.cuda === null))
}

function pythonRange(spec: StackSpec): ReturnType<typeof parseRange> & object {
  const raw = spec.python?.version
  if (!raw) return ANY
  const r = parseRange(raw)
  if (!r) throw new EnvctlError('INVALID_STACK', `python.version = "${raw}" is not a version or range`, { hint: 'use e.g. "3.11" or ">=3.10,<3.13"' })
  return r
}

/**
 * The newest frameworks that fit python.version. An inherited python.version (spec.python.preference) gives way
 * when the frameworks pinned nearer have no wheels for it; one written next to the pins is a hard constraint.
 */
function frameworkCombo(spec: StackSpec, matrix: Matrix, host: HostFacts, gpu: boolean): Combo {
  const requests = frameworkRequests(spec)
  const all = new Map(requests.map((r) => [r.framework, candidatesFor(r, matrix)] as [FrameworkName, Candidate[]]))
  const candidates = new Map([...all].map(([fw, cs]) => [fw, byMode(cs, gpu)] as [FrameworkName, Candidate[]]))
  const run = (pythonRange: VersionRange) => search({ matrix, host, gpu, pythonRange, candidates, forcedCuda: spec.gpu.cuda })
  const range = pythonRange(spec)
  const first = run(range)
  if (first.combo) return first.combo
  const free = range === ANY ? first : run(ANY)
  if (free.combo && spec.python?.preference) return followFrameworks(spec, requests, free.combo)
  const conflict = free.combo ? pythonConflict(spec, requests, candidates, range) : null
  if (conflict) throw conflict
  const unconstrained = new Map(requests.map((r) => [r.framework, byMode(candidatesFor({ ...r, range: ANY, pin: null, companions: r.companions.map((c) => ({ ...c, specifiers: [] })) }, matrix), gpu)] as [FrameworkName, Candidate[]]))
  const rejections = spec.python?.preference ? free.rejections : first.rejections
  throw explainFailure({ matrix, host, gpu, requests, candidates, unconstrained, rejections })
}

function plainPython(spec: StackSpec, matrix: Matrix): Combo {
  const range = pythonRange(spec)
  const pythons = matrix.baseImages.python.map((p) => p.python).filter((p) => range.test(p))
  const choice = pythonBase(matrix, pythons)
  if ('reason' in choice) throw new EnvctlError('UNRESOLVABLE', `${choice.reason} (python.version = "${spec.python?.version}")`, { hint: 'choose a python version listed in data/matrix/base-images.json' })
  return { cuda: null, picks: [], python: choice.python, base: choice.base, warnings: choice.caveats }
}

function swapNotices(requests: FrameworkRequest[], picks: Candidate[]): string[] {
  const out: string[] = []
  for (const p of picks) {
    const pin = requests.find((r) => r.framework === p.framework)?.pin
    const main = p.requirements[0]
    if (pin && pin.name !== main.name) out.push(`packages.pip "${pin.raw}" → ${main.requirement} (the ${p.variant === 'cpu' ? 'CPU' : p.variant} build for this host)`)
  }
  return out
}

function baseOverride(spec: StackSpec, base: ResolvedBase, warnings: string[]): ResolvedBase {
  if (!spec.base?.image) return base
  warnings.push(`base.image = "${spec.base.image}" overrides the resolved ${base.image}; envctl cannot check its python or CUDA`)
  return { image: spec.base.image, os: base.os, python: base.python }
}

function baseWarnings(base: ResolvedBase): string[] {
  if (!base.deletedUpstream) return []
  return [`${base.image} was deleted from Docker Hub by NVIDIA: pull it from a registry mirror that keeps it ([mirrors] registry), or rebuild it from NVIDIA's end-of-life Dockerfiles`]
}

interface Core {
  runtime: Runtime
  combo: Combo
  node: string | null
  java: ResolvedStack['java']
  explain: Explain
}

function resolveCore(spec: StackSpec, matrix: Matrix, host: HostFacts, gpu: boolean): Core {
  const runtime = runtimeOf(spec)
  if (runtime === 'node') {
    const n = resolveNode(spec, matrix)
    return { runtime, combo: { cuda: null, picks: [], python: '', base: n.base, warnings: n.caveats }, node: n.version, java: null, explain: describeLanguage('node', n.version, n.base, spec) }
  }
  if (runtime === 'java') {
    const j = resolveJava(spec, matrix)
    return { runtime, combo: { cuda: null, picks: [], python: '', base: j.base, warnings: j.caveats }, node: null, java: { version: j.version, build: j.build }, explain: describeLanguage('java', j.version, j.base, spec) }
  }
  if (runtime === 'none') {
    const { image, os } = matrix.defaults.plainBase
    const base = { image, os, python: null }
    return { runtime, combo: { cuda: null, picks: [], python: '', base, warnings: [] }, node: null, java: null, explain: [] }
  }
  const hasFrameworks = frameworkRequests(spec).length > 0
  const combo = hasFrameworks ? frameworkCombo(spec, matrix, host, gpu) : plainPython(spec, matrix)
  return { runtime, combo, node: null, java: null, explain: describeCombo(combo, spec) }
}

/**
 * The pure heart of envctl: (stack, matrix, host) → the exact environment, or an error that says what
 * conflicts and what would work. Never touches Docker, the environment or the file system.
 */
export function resolveStack(spec: StackSpec, matrix: Matrix, host: HostFacts): ResolvedStack {
  const decision = decideGpu(spec, host)
  const core = resolveCore(spec, matrix, host, decision.gpu)
  const { combo } = core
  // Caveats about the chosen base image do not apply when the stack names its own base; the python note does.
  const baseCaveats = spec.base?.image ? [] : combo.warnings.filter((w) => w !== combo.pythonNote)
  const warnings = [...(decision.notice && core.combo.picks.length ? [decision.notice] : []), ...(combo.pythonNote ? [combo.pythonNote] : []), ...combo.picks.flatMap((p) => [...(p.hostWarning ? [p.hostWarning] : []), ...p.caveats]), ...swapNotices(core.runtime === 'python' ? frameworkRequests(spec) : [], combo.picks), ...baseCaveats]
  const base = baseOverride(spec, combo.base, warnings)
  warnings.push(...baseWarnings(base))
  const python = core.runtime === 'python' ? combo.python : null
  const resolved: ResolvedStack = {
    stack: spec.name,
    runtime: core.runtime,
    python,
    cuda: combo.cuda,
    cudnn: combo.picks.map((p) => p.cudnn).find(Boolean) ?? null,
    gpu: decision.gpu,
    gpuMode: spec.gpu.mode,
    base,
    frameworks: Object.fromEntries(combo.picks.map((p) => [p.framework, p.version])),
    variants: Object.fromEntries(combo.picks.map((p) => [p.framework, p.variant])),
    pip: core.runtime === 'python' ? assemblePip(spec, combo.picks, tooling(matrix, combo.python)) : [],
    pipSources: pipSources(combo.picks),
    apt: [...new Set(spec.packages.apt)].sort(),
    npm: [...new Set(spec.packages.npm)],
    maven: [...new Set(spec.packages.maven)],
    node: core.node,
    java: core.java,
    env: { ...spec.env },
    notebook: { enabled: spec.notebook.enabled, port: spec.notebook.port ?? null },
    mirrors: {},
    network: {},
    run: { ...spec.run },
    warnings: [...new Set(warnings)],
    matrixVersion: matrix.index.version,
    explain: core.explain,
  }
  return { ...resolved, explain: [...core.explain, ...describeInputs(spec, resolved)] }
}
