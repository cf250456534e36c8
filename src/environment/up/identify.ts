import { displayPath, nameFromFolder } from '../../stack/stack-ref.js'
import { topStackFile } from '../../stack/load.js'
import { readStackFile } from '../../stack/parse.js'
import { loadPlan } from '../../project/plan.js'
import { EnvctlError } from '../../errors/envctl-error.js'
import { envIdentity, type EnvIdentity } from '../identity.js'
import type { UpInput } from './types.js'

/** The stack's name as the top file gives it (`name` is never inherited): cheap, before the stack is planned. */
function stackName(input: UpInput): { stack: string; isProject: boolean } {
  const top = topStackFile(input.ref, { cwd: input.cwd })
  if (top === null) return { stack: input.ref!, isProject: false }
  const { name } = readStackFile(top, displayPath(top, input.cwd)).table
  return { stack: typeof name === 'string' ? name : nameFromFolder(top), isProject: true }
}

/**
 * Which environment this run is about, known before anything is planned so that the run can hold its lock
 * while it plans (another run may be writing envctl.lock). A stack file that cannot be read is reported by
 * the loader, which says everything that is wrong with it.
 */
export function identify(input: UpInput): EnvIdentity {
  try {
    return envIdentity({ ...stackName(input), workspace: input.workspace, uid: input.host.uid, name: input.name })
  } catch (err) {
    if (!(err instanceof EnvctlError)) throw err
    loadPlan({ ref: input.ref, cwd: input.cwd, paths: input.paths })
    throw err
  }
}
