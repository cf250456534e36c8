import { PIP_LAYERS, type PinnedPip, type PipLayer, type PipRequirement, type ResolvedStack } from '../resolvers/types.js'
import type { Step } from './instructions.js'
import { checkPipPin, checkPipUrl, checkSha256, normalizePipName } from './validate.js'

/**
 * How a pip layer installs when the stack has a lock that recorded its packages:
 * - unlocked: no recorded set yet; pip resolves the requirements (the first build).
 * - exact: every requirement is pinned and nothing was released: `--no-deps` over exactly the recorded set,
 *   `--require-hashes` for the packages the index gave a sha256 for.
 * - resolve: a requirement changed or a pin was released; pip resolves the requirements again with the
 *   layer's other pins as constraints, so nothing else moves.
 */
export type PipMode = 'unlocked' | 'exact' | 'resolve'

export interface PipLayerPlan {
  mode: PipMode
  /** exact: what to install; resolve: the constraints. */
  pins: PinnedPip[]
}

/** Which layer a requirement belongs to (python.ts decides: framework wheels or the rest). */
export type LayerOf = (req: PipRequirement) => PipLayer

/** The build-context files a layer mounts, and where the RUN sees them. Bind mounts are read-only. */
export function pipContextPath(layer: PipLayer, kind: 'hashed' | 'nohash' | 'constraints'): string {
  return `envctl/pip-${layer}${kind === 'hashed' ? '' : `-${kind}`}.txt`
}

function mountTarget(path: string): string {
  return `/tmp/${path}`
}

function bindMount(path: string): string {
  return `--mount=type=bind,source=${path},target=${mountTarget(path)}`
}

function exactLayer(r: ResolvedStack, layer: PipLayer, layerOf: LayerOf): boolean {
  const locked = r.locked!
  const pinned = new Set(locked.pip.map((p) => p.name))
  const reqs = r.pip.filter((req) => layerOf(req) === layer)
  if (reqs.length === 0) return true
  if (locked.releasedPip.some((p) => p.layer === layer)) return false
  if (!reqs.every((req) => pinned.has(normalizePipName(req.name)))) return false
  // An earlier layer that resolves again may move a package a later layer pinned: resolve the later ones too.
  const earlier = PIP_LAYERS.slice(0, PIP_LAYERS.indexOf(layer))
  return earlier.every((l) => exactLayer(r, l, layerOf))
}

export function pipLayerPlan(r: ResolvedStack, layer: PipLayer, layerOf: LayerOf): PipLayerPlan {
  if (!r.locked) return { mode: 'unlocked', pins: [] }
  const pins = r.locked.pip.filter((p) => p.layer === layer)
  return { mode: exactLayer(r, layer, layerOf) ? 'exact' : 'resolve', pins }
}

/** A requirements-file line. Every part is checked: pip expands ${VAR} in these files. */
function pinLine(p: PinnedPip, withHash: boolean): string {
  const pin = checkPipPin(p.name, p.version)
  const what = `locked pip package ${JSON.stringify(p.name)}`
  const req = p.url === undefined ? pin : `${p.name} @ ${checkPipUrl(p.url, `URL of ${what}`)}`
  return withHash && p.sha256 ? `${req} --hash=sha256:${checkSha256(p.sha256, `sha256 of ${what}`)}` : req
}

function file(header: string, lines: string[]): string {
  return `# ${header}\n${lines.join('\n')}\n`
}

/** The files a layer's RUN mounts, keyed by their path in the build context. */
export function pipLayerFiles(layer: PipLayer, plan: PipLayerPlan): Record<string, string> {
  if (plan.mode === 'unlocked' || plan.pins.length === 0) return {}
  if (plan.mode === 'resolve') {
    const kept = plan.pins.filter((p) => p.url === undefined)
    if (kept.length === 0) return {}
    return { [pipContextPath(layer, 'constraints')]: file(`envctl.lock: the ${layer} layer's versions that stay`, kept.map((p) => pinLine(p, false))) }
  }
  const hashed = plan.pins.filter((p) => p.sha256)
  const bare = plan.pins.filter((p) => !p.sha256)
  return {
    ...(hashed.length ? { [pipContextPath(layer, 'hashed')]: file(`envctl.lock: the ${layer} layer, exactly`, hashed.map((p) => pinLine(p, true))) } : {}),
    ...(bare.length ? { [pipContextPath(layer, 'nohash')]: file(`envctl.lock: the ${layer} layer's packages without a sha256`, bare.map((p) => pinLine(p, false))) } : {}),
  }
}

/** The bind mounts for the layer's files (each file on its own, so one layer's change never touches another's cache). */
export function pipLayerMounts(layer: PipLayer, plan: PipLayerPlan): string[] {
  return Object.keys(pipLayerFiles(layer, plan)).map(bindMount)
}

/** `-c <constraints>` for a layer that resolves with pins kept, else nothing. */
export function constraintArgs(layer: PipLayer, plan: PipLayerPlan): string[] {
  const path = pipContextPath(layer, 'constraints')
  return path in pipLayerFiles(layer, plan) ? [`-c ${mountTarget(path)}`] : []
}

/**
 * The pip commands of an exact layer: hashed packages under --require-hashes (pip turns hash checking on
 * for a whole command as soon as one line has a hash, so packages without one get a second command).
 */
export function exactInstalls(layer: PipLayer, plan: PipLayerPlan, sources: string[], report: (suffix: string) => string): Step[] {
  const files = pipLayerFiles(layer, plan)
  const hashed = pipContextPath(layer, 'hashed')
  const bare = pipContextPath(layer, 'nohash')
  return [
    ...(hashed in files ? [{ command: `${report('')} python -m pip install --no-deps --require-hashes`, args: [...sources, `-r ${mountTarget(hashed)}`] }] : []),
    ...(bare in files ? [{ command: `${report('-nohash')} python -m pip install --no-deps`, args: [...sources, `-r ${mountTarget(bare)}`] }] : []),
  ]
}
