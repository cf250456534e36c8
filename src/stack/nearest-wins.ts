import type { SourceLocation } from '../errors/envctl-error.js'
import { pipPackageName } from './formats/pep508.js'
import { companionOf, constrainedFramework, type FrameworkName } from './framework-packages.js'
import type { Override } from './merge.js'
import type { StackSpec } from './types.js'

/** A layer's identity in a location: a built-in and a project file that happen to share a display name stay apart. */
export const layerKey = (loc: Pick<SourceLocation, 'file' | 'builtin'>): string => `${loc.builtin ?? ''}\u0000${loc.file}`

interface Member {
  framework: FrameworkName
  depth: number
  at: SourceLocation
  /** `frameworks.KEY` or the index of a packages.pip entry. */
  slot: { key: string } | { pip: number }
}

/** The requirement with its version dropped: "torchaudio==2.1.0" → "torchaudio". */
const bareName = (entry: string): string => /^\s*[A-Za-z0-9._-]+(\s*\[[^\]]*\])?/.exec(entry)?.[0].trim() ?? entry

function members(spec: StackSpec, depth: (loc: SourceLocation) => number): Member[] {
  const out: Member[] = []
  for (const key of Object.keys(spec.frameworks)) {
    const framework = constrainedFramework(`frameworks.${key}`, spec.frameworks[key])
    const at = spec.provenance[`frameworks.${key}`]
    if (framework && at) out.push({ framework, depth: depth(at), at, slot: { key } })
  }
  spec.packages.pip.forEach((entry, i) => {
    const framework = constrainedFramework('packages.pip', entry)
    const at = spec.provenance[`packages.pip[${i}]`]
    if (framework && at) out.push({ framework, depth: depth(at), at, slot: { pip: i } })
  })
  return out
}

/** packages.pip after the losers are dropped (main packages) or reduced to their name (companions), provenance re-indexed. */
function rewritePip(spec: StackSpec, losers: Member[]): Pick<StackSpec, 'packages' | 'provenance'> {
  const provenance = Object.fromEntries(Object.entries(spec.provenance).filter(([k]) => !/^packages\.pip\[\d+\]$/.test(k)))
  const pip: string[] = []
  spec.packages.pip.forEach((entry, i) => {
    const lost = losers.some((m) => 'pip' in m.slot && m.slot.pip === i)
    if (lost && !companionOf(pipPackageName(entry))) return
    const origin = spec.provenance[`packages.pip[${i}]`]
    if (origin) provenance[`packages.pip[${pip.length}]`] = origin
    pip.push(lost ? bareName(entry) : entry)
  })
  return { packages: { ...spec.packages, pip }, provenance }
}

function describeLoss(spec: StackSpec, m: Member, by: SourceLocation): Override {
  if ('key' in m.slot) return { key: `frameworks.${m.slot.key}`, value: spec.frameworks[m.slot.key], at: m.at, by }
  return { key: 'packages.pip', value: spec.packages.pip[m.slot.pip], at: m.at, by }
}

/**
 * The nearer pin wins. A constraint on a framework written in a nearer layer — `[frameworks]`, the framework's
 * own pip package, or a versioned companion pin (torchvision, torchaudio) — replaces every constraint on that
 * framework from the layers it extends: inherited ranges and pins are dropped, inherited companion pins keep
 * only their name (the package is still wanted; its version follows the new release). An inherited
 * python.version becomes a preference when a framework is pinned nearer than it (docs/STACK-FILE.md).
 * `layers` are the layer keys (layerKey) base first; `overridden` collects what was replaced.
 */
export function nearestWins(spec: StackSpec, layers: string[], overridden: Override[]): StackSpec {
  const depth = (loc: SourceLocation): number => layers.indexOf(layerKey(loc))
  const all = members(spec, depth)
  const nearest = new Map<FrameworkName, Member>()
  for (const m of all) if (!nearest.has(m.framework) || m.depth > nearest.get(m.framework)!.depth) nearest.set(m.framework, m)
  const losers = all.filter((m) => m.depth < nearest.get(m.framework)!.depth)
  const replaced = losers.map((m) => describeLoss(spec, m, nearest.get(m.framework)!.at))
  const frameworks = Object.fromEntries(Object.entries(spec.frameworks).filter(([k]) => !losers.some((m) => 'key' in m.slot && m.slot.key === k)))
  const { packages, provenance } = rewritePip(spec, losers)
  for (const m of losers) if ('key' in m.slot) delete provenance[`frameworks.${m.slot.key}`]
  const pythonAt = spec.provenance['python.version']
  const pinnedNearer = pythonAt !== undefined && [...nearest.values()].some((m) => m.depth > depth(pythonAt))
  return {
    ...spec,
    ...(pinnedNearer ? { python: { ...spec.python, preference: true } } : {}),
    frameworks,
    packages,
    provenance,
    overridden: [...overridden, ...replaced],
  }
}
