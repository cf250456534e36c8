import type { StackSpec } from '../stack/types.js'
import type { Matrix } from '../matrix/types.js'
import { parseRange } from './version-range.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { parseRequirement, pinnedVersion, satisfiesAll, type Requirement } from './pep440.js'
import { frameworkOf, isCompanion } from './frameworks/requests.js'
import type { Candidate } from './frameworks/types.js'
import type { PipRequirement, PipSources } from './types.js'

/** Tooling every Python environment gets, so `envctl notebook` never needs a rebuild: the row for its python. */
export function tooling(matrix: Matrix, python: string): PipRequirement[] {
  const row = matrix.tooling.notebook.find((t) => parseRange(t.python)?.test(python))
  const req = row ? parseRequirement(row.requirement) : null
  if (!row || !req) return []
  return [{ name: req.name, version: req.specifiers.map((s) => `${s.op}${s.version}`).join(','), requirement: row.requirement, reason: 'tooling' }]
}

function userRequirement(req: Requirement): PipRequirement {
  const exact = pinnedVersion(req)
  const version = exact ?? (req.specifiers.map((s) => `${s.op}${s.version}`).join(',') || '*')
  return { name: req.name, version, requirement: req.raw, reason: 'stack' }
}

/** A user pin of torchvision/torchaudio must agree with the pair envctl picked for torch. */
function checkCompanion(user: Requirement, picked: PipRequirement | undefined): void {
  if (!picked || !user.specifiers.length) return
  const version = picked.version.replace(/\+.*$/, '')
  const specs = user.specifiers.map((s) => ({ ...s, version: s.version.replace(/\+.*$/, '') }))
  if (satisfiesAll(version, specs)) return
  throw new EnvctlError('UNRESOLVABLE', `packages.pip "${user.raw}" conflicts with the torch release chosen, which pairs with ${picked.name} ${version}`, {
    hint: `remove the ${user.name} pin (envctl pairs it with torch), or pin torch to the release that pairs with it`,
  })
}

/** Framework picks first, then the user's own packages, then tooling (unless the user listed it). */
export function assemblePip(spec: StackSpec, picks: Candidate[], tools: PipRequirement[]): PipRequirement[] {
  const fromPicks = picks.flatMap((p) => p.requirements)
  const user = spec.packages.pip.map((raw) => parseRequirement(raw)!)
  for (const u of user.filter((r) => isCompanion(r.name))) checkCompanion(u, fromPicks.find((p) => p.name === u.name))
  const own = user.filter((r) => !frameworkOf(r.name) && !(isCompanion(r.name) && fromPicks.some((p) => p.name === r.name)))
  const out = [...fromPicks, ...own.map(userRequirement)]
  for (const t of tools) if (!out.some((r) => r.name === t.name)) out.push(t)
  return out
}

const uniq = (xs: string[]): string[] => [...new Set(xs)]

/** The framework wheel sources, upstream URLs only: mirrors are applied later (applyMirrors), so a lock never holds them. */
export function pipSources(picks: Candidate[]): PipSources {
  return {
    indexUrl: null,
    extraIndexUrls: uniq(picks.flatMap((p) => p.indexUrls)),
    findLinks: uniq(picks.flatMap((p) => p.findLinks)),
    trustedHosts: [],
  }
}
