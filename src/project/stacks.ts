import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { loadProjectStack, loadStack } from '../stack/load.js'
import type { EnvctlPaths } from '../config/paths.js'
import { loadPlanStack } from './plan-stack.js'
import { builtinNames, defaultBuiltinDir, PROJECT_FILE } from '../stack/stack-ref.js'
import { summarizeStack, type StackSummary } from '../stack/summary.js'

export interface ProjectStackSummary extends StackSummary {
  /** The project's stack file, relative to the working directory. */
  file: string
  /** What it extends, as written there; null when it stands alone. */
  extends: string | null
}

export interface StacksResult {
  builtin: StackSummary[]
  project: ProjectStackSummary | null
}

export interface StacksInput {
  cwd: string
  builtinDir?: string
  /** Git cache (for a project that extends a git source) and user config, from the command. */
  paths?: EnvctlPaths
}

/** The built-in stacks, and the project's stack when cwd has an envctl.toml (which must be valid). */
export function listStacks(input: StacksInput): StacksResult {
  const builtinDir = input.builtinDir ?? defaultBuiltinDir()
  const builtin = builtinNames(builtinDir).map((name) => summarizeStack(loadStack(name, { cwd: input.cwd, builtinDir })))
  if (!existsSync(join(input.cwd, PROJECT_FILE))) return { builtin, project: null }
  const spec = input.paths ? loadPlanStack({ cwd: input.cwd, paths: input.paths }).spec : loadProjectStack(input.cwd, { builtinDir })
  return { builtin, project: { ...summarizeStack(spec), file: PROJECT_FILE, extends: spec.extends ?? null } }
}

function runtimeText(s: StackSummary): string {
  return s.runtime.name === 'none' ? '-' : [s.runtime.name, s.runtime.version].filter(Boolean).join(' ')
}

function frameworksText(s: StackSummary): string {
  return Object.entries(s.frameworks).map(([name, range]) => `${name} ${range}`).join(', ') || '-'
}

/** The human view of listStacks: an aligned table, then the project line. */
export function formatStacks(result: StacksResult): string {
  const rows = [['NAME', 'RUNTIME', 'FRAMEWORKS', 'DESCRIPTION'], ...result.builtin.map((s) => [s.name, runtimeText(s), frameworksText(s), s.description ?? ''])]
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)))
  const lines = rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col]))).join('  ').trimEnd())
  const p = result.project
  const project = p
    ? `Project stack: ${p.name} (${p.file})${p.extends ? `, extends ${p.extends}` : ''}; ${runtimeText(p)}${Object.keys(p.frameworks).length ? `, ${frameworksText(p)}` : ''}`
    : `No ${PROJECT_FILE} here; create one with: envctl init pytorch`
  return `${lines.join('\n')}\n\n${project}`
}
