import type { StackSpec } from '../../stack/types.js'
import { EnvctlError, formatLocation } from '../../errors/envctl-error.js'
import { companionOf, FRAMEWORK_COMPANIONS as COMPANIONS, FRAMEWORK_PACKAGES as PACKAGES, frameworkOf, frameworkOfKey } from '../../stack/framework-packages.js'
import { parseRequirement, type Requirement } from '../pep440.js'
import { ANY, parseRange } from '../version-range.js'
import type { FrameworkName, FrameworkRequest } from './types.js'

export { frameworkOf, frameworkOfKey }

export function isCompanion(pipName: string): boolean {
  return companionOf(pipName) !== null
}

function parsedPip(spec: StackSpec): Requirement[] {
  return spec.packages.pip.map((raw) => {
    const req = parseRequirement(raw)
    if (!req) throw new EnvctlError('INVALID_STACK', `cannot read pip requirement "${raw}"`, { hint: 'write it as PEP 508, e.g. "numpy>=1.26"' })
    return req
  })
}

function rangeFor(spec: StackSpec, fw: FrameworkName): FrameworkRequest['range'] {
  const entry = Object.entries(spec.frameworks).find(([k]) => frameworkOfKey(k) === fw)
  if (!entry) return ANY
  const range = parseRange(entry[1])
  if (!range) throw new EnvctlError('INVALID_STACK', `frameworks.${entry[0]} = "${entry[1]}" is not a version range`, { hint: 'use e.g. "~2.3", ">=2.0" or "2.3.1"' })
  return range
}

function where(spec: StackSpec, key: string): string {
  const loc = spec.provenance[key]
  return loc ? ` (${formatLocation(loc)})` : ''
}

function pipWhere(spec: StackSpec, pin: Requirement): string {
  const i = spec.packages.pip.findIndex((raw) => raw.trim() === pin.raw)
  return i >= 0 ? where(spec, `packages.pip[${i}]`) : ''
}

/**
 * The frameworks a stack asks for, from [frameworks], from pins of their packages in packages.pip, and from
 * versioned companion pins ("torchvision==0.15.2" asks for the torch release it pairs with).
 */
export function frameworkRequests(spec: StackSpec): FrameworkRequest[] {
  const pip = parsedPip(spec)
  const named = new Set(Object.keys(spec.frameworks).map(frameworkOfKey).filter(Boolean))
  const out: FrameworkRequest[] = []
  for (const fw of Object.keys(PACKAGES) as FrameworkName[]) {
    const pin = pip.find((r) => PACKAGES[fw].test(r.name)) ?? null
    const companions = pip.filter((r) => COMPANIONS[fw]?.test(r.name))
    const pinnedCompanions = companions.filter((c) => c.specifiers.length > 0)
    if (!pin && !named.has(fw) && !pinnedCompanions.length) continue
    const key = Object.keys(spec.frameworks).find((k) => frameworkOfKey(k) === fw)
    const source = [
      key ? `frameworks.${key}${where(spec, `frameworks.${key}`)}` : '',
      ...[pin, ...pinnedCompanions].filter((r): r is Requirement => r !== null).map((r) => `packages.pip "${r.raw}"${pipWhere(spec, r)}`),
    ].filter(Boolean).join(' and ')
    out.push({ framework: fw, range: rangeFor(spec, fw), pin, companions, source })
  }
  return out
}

export function unknownFrameworkKeys(spec: StackSpec): string[] {
  return Object.keys(spec.frameworks).filter((k) => !frameworkOfKey(k))
}
