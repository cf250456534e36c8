// `[engine] host` / `[engine] context` in the project's stack file or the user config: a default engine that
// ranks below --docker-host, DOCKER_HOST and DOCKER_CONTEXT and above the Docker config's currentContext.
// Read from one file at a time (the project's own file, never one it extends: a stack from elsewhere must not
// choose where the workspace goes), and checked here, so a mistake points at its file:line:column.
import { existsSync } from 'node:fs'
import { EnvctlError, formatLocation } from '../errors/envctl-error.js'
import { locationIn } from '../stack/merge.js'
import { readStackFile, type StackSource } from '../stack/parse.js'
import { STACK_SCHEMA } from '../stack/schema.js'
import { isTable, walk, type Issue } from '../stack/schema-walk.js'
import { toProblems } from '../stack/validate.js'

/** An engine a file names, and where: "engine.host in envctl.toml:3:1". */
export type EngineSetting = ({ host: string; context?: undefined } | { context: string; host?: undefined }) & { where: string; kind: 'project' | 'user' }

/** The `[engine]` of the file at `path` (shown as `display`); undefined without the file or the table. */
export function readEngineSetting(path: string, display: string, kind: EngineSetting['kind']): EngineSetting | undefined {
  if (!existsSync(path)) return undefined
  return engineSettingIn(readStackFile(path, display), kind)
}

export function engineSettingIn(source: StackSource, kind: EngineSetting['kind']): EngineSetting | undefined {
  const table = source.table.engine
  if (table === undefined) return undefined
  const issues: Issue[] = []
  walk(table, STACK_SCHEMA.properties!.engine!, ['engine'], issues)
  if (isTable(table) && table.host !== undefined && table.context !== undefined) {
    issues.push({ path: ['engine', 'context'], message: 'engine.host and engine.context both name an engine', hint: 'keep one: host for an address, context for a Docker context' })
  }
  if (issues.length > 0) {
    throw new EnvctlError('INVALID_STACK', `[engine] in ${source.display} cannot be used`, { problems: toProblems(issues, source.display, source.positions), hint: 'fix [engine]; docs/REMOTE.md describes it' })
  }
  const t = table as { host?: string; context?: string }
  const key = t.host !== undefined ? 'host' : 'context'
  if (t[key] === undefined) return undefined
  const where = `engine.${key} in ${formatLocation(locationIn(source, ['engine', key]))}`
  return key === 'host' ? { host: t.host!, where, kind } : { context: t.context!, where, kind }
}
