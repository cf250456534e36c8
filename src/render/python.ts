import { PIP_LAYERS, type PipLayer, type PipRequirement, type ResolvedStack } from '../resolvers/types.js'
import { shellWord } from './escape.js'
import { caMounts, withCa } from './ca.js'
import { secretMounts, secretPipComment, secretPipOptions, withSecrets } from './secrets.js'
import { byCodeUnit, cacheMount, runInstruction, type Step } from './instructions.js'
import { constraintArgs, exactInstalls, pipLayerFiles, pipLayerMounts, pipLayerPlan, type PipLayerPlan, type PipMode } from './pip-lock.js'
import { checkHost, checkPipRequirement, checkUrl, normalizePipName } from './validate.js'

/**
 * PyPI names of the heavy framework wheels (normalised). They get their own layer, below the user's
 * packages, so that changing a user pin reuses the GB-sized framework layer. Variants that differ only by
 * suffix (mxnet-cu90, mxnet-mkl) match by prefix.
 */
export const FRAMEWORK_PACKAGES: readonly string[] = [
  'jax',
  'jaxlib',
  'mxnet',
  'paddlepaddle',
  'paddlepaddle-gpu',
  'tensorflow',
  'tensorflow-cpu',
  'tensorflow-gpu',
  'torch',
  'torchaudio',
  'torchvision',
]
const FRAMEWORK_PREFIXES: readonly string[] = ['mxnet-']

export const VENV = '/opt/venv'

export function isFrameworkRequirement(req: PipRequirement): boolean {
  const name = normalizePipName(req.name)
  return req.reason === 'companion' || FRAMEWORK_PACKAGES.includes(name) || FRAMEWORK_PREFIXES.some((p) => name.startsWith(p))
}

/** A venv is built when the stack is a Python one or asks for any pip package (e.g. tooling on node). */
export function needsPython(r: ResolvedStack): boolean {
  return r.runtime === 'python' || r.pip.length > 0
}

/** Bases without their own python3 (nvidia/cuda, node) get the distribution's, with venv and pip. */
export function pythonAptPackages(r: ResolvedStack): string[] {
  return needsPython(r) && r.base.python === null ? ['python3', 'python3-pip', 'python3-venv'] : []
}

/**
 * pip's source flags, kept in the order r.pipSources gives them (the lock's order), never re-sorted. An
 * option whose URLs carry a credential is left out: pip reads it from the step's secrets (secrets.ts).
 */
function pipSourceArgs(r: ResolvedStack): string[] {
  const s = r.pipSources
  const secret = new Set(secretPipOptions(r).map((o) => o.option))
  const url = (flag: string, what: string) => (u: string) => `${flag} ${shellWord(checkUrl(u, what), what)}`
  return [
    ...(s.indexUrl === null || secret.has('index-url') ? [] : [url('--index-url', 'pip index URL')(s.indexUrl)]),
    ...(secret.has('extra-index-url') ? [] : s.extraIndexUrls.map(url('--extra-index-url', 'pip extra index URL'))),
    ...(secret.has('find-links') ? [] : s.findLinks.map(url('--find-links', 'pip find-links URL'))),
    ...s.trustedHosts.map((h) => `--trusted-host ${shellWord(checkHost(h), 'pip trusted host')}`),
  ]
}

/** Requirements sorted by name (then by text, for duplicates), each validated and single-quoted. */
function requirementArgs(reqs: PipRequirement[]): string[] {
  const sorted = [...reqs].sort(
    (a, b) => byCodeUnit(normalizePipName(a.name), normalizePipName(b.name)) || byCodeUnit(a.requirement, b.requirement),
  )
  return sorted.map((req) => shellWord(checkPipRequirement(req), `pip requirement of ${JSON.stringify(req.name)}`))
}

/** Where build steps leave what they installed, for `envctl up` to record in envctl.lock. */
export const REPORT_DIR = '/opt/envctl'
export const MAKE_REPORT_DIR = `mkdir -p -m 755 ${REPORT_DIR}`

/**
 * pip's installation report (`--report`, pip >= 22.2), given as PIP_REPORT: pip reads every option from a
 * PIP_<OPTION> variable and ignores names it does not know, so the same step still builds on the pip 8 of
 * an Ubuntu 16.04 base, which then simply writes no report.
 */
export function pipReport(layer: PipLayer, suffix = ''): string {
  return `PIP_REPORT=${REPORT_DIR}/pip-report-${layer}${suffix}.json`
}

export function layerOf(req: PipRequirement): PipLayer {
  if (isFrameworkRequirement(req)) return 'framework'
  return req.reason === 'tooling' ? 'tooling' : 'user'
}

/** How the layer installs: unlocked, exactly the lock's set, or resolved around the lock's pins. */
export function pipMode(r: ResolvedStack, layer: PipLayer): PipMode {
  return pipLayerPlan(r, layer, layerOf).mode
}

/** Every build-context file the pip layers mount (requirements and constraints files from the lock). */
export function pipContextFiles(r: ResolvedStack): Record<string, string> {
  return Object.assign({}, ...PIP_LAYERS.map((l) => pipLayerFiles(l, pipLayerPlan(r, l, layerOf))))
}

function installSteps(r: ResolvedStack, layer: PipLayer, plan: PipLayerPlan, reqs: PipRequirement[]): Step[] {
  const sources = pipSourceArgs(r)
  if (plan.mode === 'exact') return exactInstalls(layer, plan, sources, (suffix) => pipReport(layer, suffix))
  return [{ command: `${pipReport(layer)} python -m pip install`, args: [...sources, ...constraintArgs(layer, plan), ...requirementArgs(reqs)] }]
}

/**
 * One pip layer. pip's download cache lives in a BuildKit cache mount, so nothing of it stays in the layer.
 * umask 0000: see the language runtime section (the venv must stay writable for the run-time uid).
 * Empty when the lock says the layer installed nothing.
 */
export function pipInstallRun(r: ResolvedStack, layer: PipLayer, reqs: PipRequirement[]): string[] {
  const plan = pipLayerPlan(r, layer, layerOf)
  if (plan.mode === 'exact' && plan.pins.length === 0) return []
  return [
    ...secretPipComment(r),
    ...runInstruction(
      [cacheMount('/root/.cache/pip'), ...pipLayerMounts(layer, plan), ...caMounts(r), ...secretMounts(r)],
      withSecrets(r, withCa(r, 'pip', ['umask 0000', MAKE_REPORT_DIR, ...installSteps(r, layer, plan, reqs)])),
    ),
  ]
}
