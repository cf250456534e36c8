import { describe, expect, it } from 'vitest'
import { envctl, project } from '../support/cli-sync.js'

// `up` asks the engine while it plans the stack; what it reports keeps the order of the steps.
const NO_ENGINE = { DOCKER_HOST: 'unix:///nonexistent/envctl-test.sock' }

describe('up contacts the engine while it plans', () => {
  it('a broken stack file is reported first, even when the engine is unreachable too', () => {
    const r = envctl(['up', '--json'], project('name = "x"\nextends = \n'), NO_ENGINE)
    expect(r.code).toBe(2)
    expect(r.json).toMatchObject({ error: { code: 'INVALID_STACK' } })
    expect(r.stderr).not.toMatch(/Unhandled|UnhandledPromiseRejection/)
  })

  it('a good stack with an unreachable engine is ENGINE_UNREACHABLE, told once, with no stray rejection', () => {
    const r = envctl(['up', '--json'], project('extends = "node"\nname = "early"\n'), NO_ENGINE)
    expect(r.code).toBe(10)
    expect(r.json).toMatchObject({ error: { code: 'ENGINE_UNREACHABLE', message: expect.stringContaining('/nonexistent/envctl-test.sock') } })
    expect(r.stderr).not.toMatch(/Unhandled|UnhandledPromiseRejection|\n\s+at /)
  })
})
