import type { StackSpec } from '../../stack/types.js'
import { EnvctlError } from '../../errors/envctl-error.js'
import { parseRequirement, type Requirement } from '../pep440.js'
import { ANY, parseRange } from '../version-range.js'
import type { FrameworkName, FrameworkRequest } from './types.js'

/** Which pip names belong to which framework; the first name is the framework's main package. */
const PACKAGES: Record<FrameworkName, RegExp> = {
  pytorch: /^torch$/,
  tensorflow: /^tensorflow(-gpu|-cpu)?$/,
  mxnet: /^mxnet(-cu\d+)?(mkl)?$/,
}
const COMPANIONS: Partial<Record<FrameworkName, RegExp>> = { pytorch: /^torch(vision|audio)$/ }
const ALIASES: Record<string, FrameworkName> = { pytorch: 'pytorch', torch: 'pytorch', tensorflow: 'tensorflow', mxnet: 'mxnet' }

/** The framework a [frameworks] key names ("torch" and "pytorch" both name pytorch), or null. */
export function frameworkOfKey(key: string): FrameworkName | null {
  return ALIASES[key] ?? null
}

export function frameworkOf(pipName: string): FrameworkName | null {
  for (const [fw, re] of Object.entries(PACKAGES)) if (re.test(pipName)) return fw as FrameworkName
  return null
}

export function isCompanion(pipName: string): boolean {
  return Object.values(COMPANIONS).some((re) => re?.test(pipName))
}

function parsedPip(spec: StackSpec): Requirement[] {
  return spec.packages.pip.map((raw) => {
    const req = parseRequirement(raw)
    if (!req) throw new EnvctlError('INVALID_STACK', `cannot read pip requirement "${raw}"`, { hint: 'write it as PEP 508, e.g. "numpy>=1.26"' })
    return req
  })
}

function rangeFor(spec: StackSpec, fw: FrameworkName): FrameworkRequest['range'] {
  const entry = Object.entries(spec.frameworks).find(([k]) => ALIASES[k] === fw)
  if (!entry) return ANY
  const range = parseRange(entry[1])
  if (!range) throw new EnvctlError('INVALID_STACK', `frameworks.${entry[0]} = "${entry[1]}" is not a version range`, { hint: 'use e.g. "~2.3", ">=2.0" or "2.3.1"' })
  return range
}

function where(spec: StackSpec, key: string): string {
  const loc = spec.provenance[key]
  return loc ? ` (${loc.file}${loc.line ? `:${loc.line}` : ''}${loc.line && loc.column ? `:${loc.column}` : ''})` : ''
}

function pipWhere(spec: StackSpec, pin: Requirement): string {
  const i = spec.packages.pip.findIndex((raw) => raw.trim() === pin.raw)
  return i >= 0 ? where(spec, `packages.pip[${i}]`) : ''
}

/** The frameworks a stack asks for, from [frameworks] and from pins in packages.pip. */
export function frameworkRequests(spec: StackSpec): FrameworkRequest[] {
  const pip = parsedPip(spec)
  const named = new Set(Object.keys(spec.frameworks).map((k) => ALIASES[k]).filter(Boolean))
  const out: FrameworkRequest[] = []
  for (const fw of Object.keys(PACKAGES) as FrameworkName[]) {
    const pin = pip.find((r) => PACKAGES[fw].test(r.name)) ?? null
    if (!pin && !named.has(fw)) continue
    const companions = pip.filter((r) => COMPANIONS[fw]?.test(r.name))
    const key = Object.keys(spec.frameworks).find((k) => ALIASES[k] === fw)
    const source = [key ? `frameworks.${key}${where(spec, `frameworks.${key}`)}` : '', pin ? `packages.pip "${pin.raw}"${pipWhere(spec, pin)}` : ''].filter(Boolean).join(' and ')
    out.push({ framework: fw, range: rangeFor(spec, fw), pin, companions, source })
  }
  return out
}

export function unknownFrameworkKeys(spec: StackSpec): string[] {
  return Object.keys(spec.frameworks).filter((k) => !ALIASES[k])
}
