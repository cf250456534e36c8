import { FORMATS } from './formats/index.js'
import type { Problem } from '../errors/envctl-error.js'
import { formatKeyPath } from './key-path.js'
import { locate, type PositionIndex } from './locate.js'
import { PACKAGE_NAME, type PackageManager } from './package-names.js'
import { STACK_SCHEMA } from './schema.js'
import { isTable, walk, type Issue } from './schema-walk.js'

export type { Issue } from './schema-walk.js'

const LIST_FORMAT = { pip: 'pep508-requirement', apt: 'apt-package', npm: 'npm-spec', maven: 'maven-coordinate' } as const

/** One package listed twice in the same file: ambiguous, and the second pin would silently win. */
function duplicatePackages(manager: PackageManager, entries: unknown, out: Issue[]): void {
  if (!Array.isArray(entries)) return
  const seen = new Map<string, number>()
  entries.forEach((entry, i) => {
    if (typeof entry !== 'string' || FORMATS[LIST_FORMAT[manager]].check(entry)) return
    const name = PACKAGE_NAME[manager](entry)
    const first = seen.get(name)
    if (first === undefined) seen.set(name, i)
    else out.push({ path: ['packages', manager, i], message: `\`${name}\` is already listed at packages.${manager}[${first}]; keep one entry per package` })
  })
}

/** Every problem in one parsed stack file: schema shape, formats, and checks across entries. */
export function validateStackTable(raw: Record<string, unknown>): Issue[] {
  const issues: Issue[] = []
  walk(raw, STACK_SCHEMA, [], issues)
  if (isTable(raw.packages)) {
    for (const manager of Object.keys(PACKAGE_NAME) as PackageManager[]) duplicatePackages(manager, raw.packages[manager], issues)
  }
  return issues
}

/** Gives each issue its file:line:column and key path, in the order they appear in the file. */
export function toProblems(issues: Issue[], file: string, index: PositionIndex, builtin?: string): Problem[] {
  const problems = issues.map((issue) => ({
    message: issue.message,
    location: { file, ...(builtin === undefined ? {} : { builtin }), ...locate(index, issue.path), keyPath: formatKeyPath(issue.path) },
    ...(issue.hint ? { hint: issue.hint } : {}),
  }))
  const at = (p: Problem) => (p.location?.line ?? 0) * 1e6 + (p.location?.column ?? 0)
  return problems.sort((a, b) => at(a) - at(b))
}
