// Which of the GPU stacks' limits the engine refuses, asked the only way an engine answers it: a throwaway
// container with those limits, started. runc sets the limits before it looks for the program, so the
// program need not exist and any image will do; the container never runs and is removed either way.
import type { Engine } from '../engine/engine.js'
import { LimitRefusedError } from '../engine/engine-errors.js'
import { GPU_ULIMITS } from '../environment/container/limits.js'
import { LABEL } from '../environment/naming.js'

export type LimitProbe = { refused: string[] } | { unchecked: string }

const NO_PROGRAM = '/envctl-limit-probe-no-such-program'

export async function probeLimits(engine: Engine): Promise<LimitProbe> {
  const image = (await engine.listImages()).find((i) => i.repoTags.some((t) => t !== '<none>:<none>'))
  if (!image) return { unchecked: 'the engine has no image yet to try them with (envctl up tries them as it starts and says so)' }
  const refused: string[] = []
  let limits = Object.entries(GPU_ULIMITS)
  while (limits.length) {
    const limit = await refusedOne(engine, image.id, limits)
    if (!limit) break
    refused.push(limit)
    limits = limits.filter(([name]) => name !== limit)
  }
  return { refused }
}

/** The limit the engine refuses first among these, or null when it accepts them all. */
async function refusedOne(engine: Engine, image: string, limits: Array<[string, number]>): Promise<string | null> {
  const id = await engine.createContainer({
    image,
    entrypoint: [NO_PROGRAM],
    cmd: [],
    labels: { [LABEL.managed]: '1' },
    ulimits: limits.map(([name, v]) => ({ name, soft: v, hard: v })),
    networkMode: 'none',
  })
  try {
    await engine.startContainer(id)
    return null
  } catch (err) {
    return err instanceof LimitRefusedError ? err.limit : null
  } finally {
    await engine.removeContainer(id, { force: true })
  }
}
