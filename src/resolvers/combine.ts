import type { Matrix } from '../matrix/types.js'
import type { HostFacts } from '../host/types.js'
import type { VersionRange } from './version-range.js'
import { compareLoose, sameMinor } from './version-range.js'
import { compareVersions } from './pep440.js'
import { cudaBase, pythonBase, type BaseChoice } from './base-image.js'
import { hostVerdict } from './host-compat.js'
import type { Candidate, FrameworkName } from './frameworks/types.js'

export interface Combo {
  cuda: string | null
  picks: Candidate[]
  python: string
  base: Extract<BaseChoice, { base: unknown }>['base']
  warnings: string[]
  /** Set when an inherited python.version gave way to the frameworks: why python is what it is. */
  pythonNote?: string
}

/** Why candidates dropped out, kept to explain a failure. */
export interface Rejections {
  host: Map<FrameworkName, string[]>
  combos: string[]
}

export interface SearchInput {
  matrix: Matrix
  host: HostFacts
  gpu: boolean
  pythonRange: VersionRange
  /** Candidates per framework, newest first, already filtered to the GPU or CPU mode. */
  candidates: Map<FrameworkName, Candidate[]>
  forcedCuda?: string
}

function allPythons(matrix: Matrix): string[] {
  const set = new Set([...matrix.baseImages.python.map((p) => p.python), ...matrix.baseImages.os.map((o) => o.python)])
  return [...set]
}

function chooseBase(input: SearchInput, picks: Candidate[], cuda: string | null): BaseChoice {
  let pythons = allPythons(input.matrix).filter((p) => input.pythonRange.test(p))
  for (const c of picks) pythons = pythons.filter((p) => c.python.includes(p))
  if (!pythons.length) return { reason: `no python version fits ${picks.map((c) => `${c.framework} ${c.version} (${c.python.join(', ')})`).join(' and ')}${input.pythonRange.raw !== '*' ? ` and python ${input.pythonRange.raw}` : ''}` }
  const system = picks.filter((c) => c.needsSystemCuda)
  if (cuda && system.length) {
    const cudnn = system.map((c) => c.cudnn).filter((x): x is string => Boolean(x)).sort(compareLoose).pop() ?? null
    const libraries = [...new Set(system.flatMap((c) => c.systemLibraries ?? []))]
    return cudaBase(input.matrix, cuda, cudnn, pythons, libraries)
  }
  return pythonBase(input.matrix, pythons)
}

function noteReason(rej: Rejections, reason: string): null {
  if (!rej.combos.includes(reason) && rej.combos.length < 12) rej.combos.push(reason)
  return null
}

/** Depth-first over frameworks, newest candidate first: the first full assignment is the best for this CUDA. */
function searchAt(input: SearchInput, cuda: string | null, rej: Rejections): Combo | null {
  const lists = [...input.candidates.values()].map((cs) => cs.filter((c) => (cuda === null ? c.cuda === null : c.cuda !== null && sameMinor(c.cuda, cuda))))
  const picks: Candidate[] = []
  const walk = (i: number): Combo | null => {
    if (i === lists.length) {
      const choice = chooseBase(input, picks, cuda)
      if ('reason' in choice) return noteReason(rej, choice.reason)
      return { cuda, picks: [...picks], python: choice.python, base: choice.base, warnings: choice.caveats }
    }
    for (const c of lists[i]) {
      picks.push(c)
      const found = walk(i + 1)
      picks.pop()
      if (found) return found
    }
    return null
  }
  return walk(0)
}

function filterByHost(input: SearchInput, rej: Rejections): Map<FrameworkName, Candidate[]> {
  const out = new Map<FrameworkName, Candidate[]>()
  for (const [fw, cs] of input.candidates) {
    const kept: Candidate[] = []
    for (const c of cs) {
      const v = hostVerdict(input.matrix.cuda, c, input.host)
      if (v.ok) kept.push(v.warning ? { ...c, hostWarning: v.warning } : c)
      else rej.host.set(fw, [...(rej.host.get(fw) ?? []), v.reason!])
    }
    out.set(fw, kept)
  }
  return out
}

function cudaOptions(cands: Map<FrameworkName, Candidate[]>, forced?: string): string[] {
  const all = [...cands.values()].flat().map((c) => c.cuda).filter((c): c is string => c !== null)
  const uniq = [...new Set(all.map((c) => c.split('.').slice(0, 2).join('.')))]
  return uniq.filter((c) => !forced || sameMinor(c, forced)).sort((a, b) => compareLoose(b, a))
}

/** Newer framework versions win; at equal versions, builds the host runs without compromise, then the higher CUDA. */
function better(a: Combo, b: Combo): boolean {
  for (let i = 0; i < a.picks.length; i++) {
    const d = compareVersions(a.picks[i].version, b.picks[i].version)
    if (d) return d > 0
  }
  const ca = a.picks.filter((c) => c.hostWarning).length
  const cb = b.picks.filter((c) => c.hostWarning).length
  if (ca !== cb) return ca < cb
  return compareLoose(a.cuda ?? '0', b.cuda ?? '0') > 0
}

export function search(input: SearchInput): { combo: Combo | null; rejections: Rejections } {
  const rej: Rejections = { host: new Map(), combos: [] }
  const cands = filterByHost(input, rej)
  const filtered = { ...input, candidates: cands }
  const cudas: Array<string | null> = input.gpu && cands.size ? cudaOptions(cands, input.forcedCuda) : [null]
  let best: Combo | null = null
  for (const cuda of cudas) {
    const combo = searchAt(filtered, cuda, rej)
    if (combo && (!best || better(combo, best))) best = combo
  }
  return { combo: best, rejections: rej }
}
