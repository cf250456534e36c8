import type { ResolvedStack } from '../resolvers/types.js'

/**
 * One block of the Dockerfile: its comment and instructions, as lines. An empty array means the section
 * does not apply to this stack and leaves no trace (not even a blank line).
 */
export type Section = (r: ResolvedStack) => string[]

/** A shell step of a RUN: the command, then arguments that each go on their own line (package lists). */
export type Step = string | { command: string; args: string[] }

/**
 * RUN with BuildKit mounts and `&&`-chained steps, one step per line and one package per line, so that a
 * diff of two Dockerfiles shows exactly which package changed:
 *
 *   RUN --mount=… \
 *       first step \
 *    && second step \
 *         'arg'
 */
export function runInstruction(mounts: string[], steps: Step[]): string[] {
  const lines: string[] = mounts.map((m, i) => (i === 0 ? `RUN ${m}` : `    ${m}`))
  steps.forEach((step, i) => {
    const lead = i > 0 ? ' && ' : lines.length > 0 ? '    ' : 'RUN '
    const { command, args } = typeof step === 'string' ? { command: step, args: [] } : step
    lines.push(lead + command, ...args.map((a) => `      ${a}`))
  })
  return lines.map((line, i) => (i < lines.length - 1 ? `${line} \\` : line))
}

/** ENV with several KEY=value pairs, one per line; callers pass values already quoted where needed. */
export function envInstruction(pairs: Array<[string, string]>): string[] {
  const lines = pairs.map(([k, v], i) => `${i === 0 ? 'ENV ' : '    '}${k}=${v}`)
  return lines.map((line, i) => (i < lines.length - 1 ? `${line} \\` : line))
}

/** Deterministic string order (UTF-16 code units), independent of the host's locale. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Sorted, duplicates removed. */
export function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort(byCodeUnit)
}

/**
 * A BuildKit cache mount: its contents persist between builds but never enter a layer. `locked` serialises
 * builds that share it (apt refuses concurrent use of its lists and archives).
 */
export function cacheMount(target: string, opts: { id?: string; locked?: boolean } = {}): string {
  const id = opts.id === undefined ? '' : `id=${opts.id},`
  return `--mount=type=cache,${id}target=${target}${opts.locked ? ',sharing=locked' : ''}`
}
