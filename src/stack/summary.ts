import type { GpuMode, StackSpec } from './types.js'

export type StackRuntime = 'python' | 'node' | 'java' | 'none'

/** What `envctl stacks` shows about one stack. */
export interface StackSummary {
  name: string
  description: string | null
  runtime: { name: StackRuntime; version: string | null }
  frameworks: Record<string, string>
  gpu: GpuMode
}

/** The main language of a stack: Python when anything Python is asked for, then Node, then Java. */
export function stackRuntime(spec: StackSpec): StackSummary['runtime'] {
  if (spec.python || Object.keys(spec.frameworks).length > 0 || spec.packages.pip.length > 0) {
    return { name: 'python', version: spec.python?.version ?? null }
  }
  if (spec.node || spec.packages.npm.length > 0) return { name: 'node', version: spec.node?.version ?? null }
  if (spec.java || spec.packages.maven.length > 0) return { name: 'java', version: spec.java?.version ?? null }
  return { name: 'none', version: null }
}

export function summarizeStack(spec: StackSpec): StackSummary {
  return {
    name: spec.name,
    description: spec.description ?? null,
    runtime: stackRuntime(spec),
    frameworks: { ...spec.frameworks },
    gpu: spec.gpu.mode,
  }
}
