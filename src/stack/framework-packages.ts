import { pipPackageName } from './formats/pep508.js'

export type FrameworkName = 'pytorch' | 'tensorflow' | 'mxnet'

/** The pip names of each framework's main package (every variant: tensorflow-gpu, mxnet-cu90mkl …). */
export const FRAMEWORK_PACKAGES: Record<FrameworkName, RegExp> = {
  pytorch: /^torch$/,
  tensorflow: /^tensorflow(-gpu|-cpu)?$/,
  mxnet: /^mxnet(-cu\d+)?(mkl)?$/,
}

/** Packages released in lockstep with a framework: a pin of one of them selects the framework's release. */
export const FRAMEWORK_COMPANIONS: Partial<Record<FrameworkName, RegExp>> = { pytorch: /^torch(vision|audio)$/ }

const ALIASES: Record<string, FrameworkName> = { pytorch: 'pytorch', torch: 'pytorch', tensorflow: 'tensorflow', mxnet: 'mxnet' }

/** The framework a [frameworks] key names ("torch" and "pytorch" both name pytorch), or null. */
export function frameworkOfKey(key: string): FrameworkName | null {
  return ALIASES[key] ?? null
}

/** The framework whose main package this pip name is, or null. */
export function frameworkOf(pipName: string): FrameworkName | null {
  for (const [fw, re] of Object.entries(FRAMEWORK_PACKAGES)) if (re.test(pipName)) return fw as FrameworkName
  return null
}

/** The framework a companion package (torchvision, torchaudio) belongs to, or null. */
export function companionOf(pipName: string): FrameworkName | null {
  for (const [fw, re] of Object.entries(FRAMEWORK_COMPANIONS)) if (re?.test(pipName)) return fw as FrameworkName
  return null
}

/** "torchvision==0.5.0" says which release; a bare "torchvision" only asks for the package. */
const hasVersion = (entry: string): boolean => /[<>=!~]/.test(entry.replace(/[;@].*$/, ''))

/**
 * The framework a stack value constrains: a [frameworks] key, a pip entry of a framework's main package, or a
 * companion pin with a version. Null for everything else (a bare companion name is a wish, not a constraint).
 */
export function constrainedFramework(key: string, value: unknown): FrameworkName | null {
  if (key.startsWith('frameworks.')) return frameworkOfKey(key.slice('frameworks.'.length))
  if (key !== 'packages.pip' || typeof value !== 'string') return null
  const name = pipPackageName(value)
  return frameworkOf(name) ?? (hasVersion(value) ? companionOf(name) : null)
}
