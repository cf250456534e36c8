import { existsSync, writeFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { EnvctlError } from '../errors/envctl-error.js'
import { checkStackName } from '../stack/formats/text.js'
import { loadStack } from '../stack/load.js'
import { parseStackText } from '../stack/parse.js'
import { isPathLike, nameFromFolder, PROJECT_FILE, stackFileAt } from '../stack/stack-ref.js'
import { renderInitTemplate } from '../stack/template.js'
import { toProblems, validateStackTable } from '../stack/validate.js'

export interface InitInput {
  cwd: string
  /** Built-in name, or a path to a stack file the new one extends. */
  stack: string
  name?: string
  force: boolean
  builtinDir?: string
}

export interface InitResult {
  /** Path of the written file, relative to cwd. */
  file: string
  extends: string
  name: string
  overwritten: boolean
}

/** What to write after `extends =`: a built-in name, or the path relative to cwd ("./base.toml"). */
function extendsValue(stack: string, cwd: string): string {
  if (!isPathLike(stack)) return stack
  const rel = relative(cwd, stackFileAt(resolve(cwd, stack))).split('\\').join('/')
  return rel.startsWith('.') ? rel : `./${rel}`
}

function checkName(name: string | undefined): void {
  const problem = name === undefined ? undefined : checkStackName(name)
  if (problem) throw new EnvctlError('USAGE', `--name: ${problem}`, { hint: 'for example: --name vision-lab' })
}

/** The template, checked before it is written: init never leaves a file that fails to load. */
function renderChecked(input: InitInput, parent: string, path: string): string {
  const text = renderInitTemplate({ extends: parent, name: input.name })
  const source = parseStackText(text, path, PROJECT_FILE)
  const problems = toProblems(validateStackTable(source.table), PROJECT_FILE, source.positions)
  if (problems.length > 0) throw new EnvctlError('UNEXPECTED', 'the generated envctl.toml is invalid', { problems })
  return text
}

/** Writes envctl.toml in cwd extending `stack`; refuses to replace an existing one without force. */
export function initProject(input: InitInput): InitResult {
  checkName(input.name)
  const path = join(input.cwd, PROJECT_FILE)
  const existed = existsSync(path)
  if (existed && !input.force) {
    throw new EnvctlError('USAGE', `${PROJECT_FILE} already exists in ${input.cwd}`, { hint: 'pass --force to replace it, or edit it by hand' })
  }
  const parent = loadStack(input.stack, { cwd: input.cwd, builtinDir: input.builtinDir })
  if (parent.chain.includes(path)) throw new EnvctlError('USAGE', `${PROJECT_FILE} cannot extend itself`, { hint: 'name a built-in or another stack file' })
  const value = extendsValue(input.stack, input.cwd)
  writeFileSync(path, renderChecked(input, value, path), { flag: input.force ? 'w' : 'wx' })
  return { file: PROJECT_FILE, extends: value, name: input.name ?? nameFromFolder(path), overwritten: existed }
}

export function formatInit(result: InitResult): string {
  const verb = result.overwritten ? 'Replaced' : 'Wrote'
  return `${verb} ${result.file} (extends ${result.extends}, name ${result.name}).\nNext: edit it, then run: envctl up`
}
