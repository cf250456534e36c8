import type { StackSpec } from '../stack/types.js'
import { canonicalJson, sha256 } from './canonical.js'

/** The parts of a stack that decide what gets installed; where-from settings (mirrors, network) are excluded. */
export function lockInputs(spec: StackSpec): Record<string, unknown> {
  return {
    name: spec.name,
    python: spec.python ?? null,
    frameworks: spec.frameworks,
    packages: spec.packages,
    node: spec.node ?? null,
    java: spec.java ?? null,
    gpu: spec.gpu,
    notebook: spec.notebook,
    env: spec.env,
    run: spec.run,
    base: spec.base ?? null,
  }
}

export function inputsHash(spec: StackSpec): string {
  return `sha256:${sha256(canonicalJson(lockInputs(spec)))}`
}
