import { describe, expect, it } from 'vitest'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import { findTarget, requireEnv } from '../../../src/environment/target.js'
import { FakeEngine, envContainer } from './fake-engine.js'

function env(name: string, container: string, workspace: string, uid?: number) {
  const labels: Record<string, string> = { 'dev.envctl.managed': '1', 'dev.envctl.project': name, 'dev.envctl.workspace': workspace, ...(uid === undefined ? {} : { 'dev.envctl.uid': String(uid) }) }
  return envContainer(container, { id: `id-${container}`, name: container, labels })
}

const clones = () =>
  new FakeEngine([
    env('lab', 'envctl-lab-aaaaaaaa', '/src/lab', 1000),
    env('lab', 'envctl-lab-bbbbbbbb', '/src/lab-2', 1000),
    env('lab', 'envctl-lab-cccccccc', '/src/lab', 1001),
    env('lab', 'envctl-lab-aaaaaaaa-next-0123abcd', '/src/lab', 1000),
  ])

describe('findTarget from a folder', () => {
  it("finds this folder's environment of this user, not the other clone's or the other user's", async () => {
    const fake = clones()
    expect((await findTarget(fake.engine, { workspace: '/src/lab-2', uid: 1000 }))?.name).toBe('envctl-lab-bbbbbbbb')
    expect((await findTarget(fake.engine, { workspace: '/src/lab', uid: 1000 }))?.name).toBe('envctl-lab-aaaaaaaa')
    expect((await findTarget(fake.engine, { workspace: '/src/lab', uid: 1001 }))?.name).toBe('envctl-lab-cccccccc')
  })

  it('finds nothing for a folder without one', async () => {
    const err = await requireEnv(clones().engine, { workspace: '/src/other', uid: 1000 }).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(EnvctlError)
    expect((err as EnvctlError).code).toBe('NOT_FOUND')
    expect((err as EnvctlError).message).toBe('no environment of yours for /src/other')
  })

  it('adopts one made by an earlier envctl (no uid label) for the folder', async () => {
    const fake = new FakeEngine([env('lab', 'envctl-lab', '/src/lab')])
    expect((await findTarget(fake.engine, { workspace: '/src/lab', uid: 1000 }))?.name).toBe('envctl-lab')
  })
})

describe('findTarget by NAME', () => {
  it('prefers the exact container name', async () => {
    expect((await findTarget(clones().engine, { name: 'envctl-lab-cccccccc', workspace: '/x', uid: 1000 }))?.name).toBe('envctl-lab-cccccccc')
  })

  it("narrows a shared project name to the user's own in this folder", async () => {
    expect((await findTarget(clones().engine, { name: 'lab', workspace: '/src/lab-2', uid: 1000 }))?.name).toBe('envctl-lab-bbbbbbbb')
  })

  it('asks which one when the name still matches several, listing each with its folder and owner', async () => {
    const err = (await findTarget(clones().engine, { name: 'lab', workspace: '/elsewhere', uid: 1000 }).catch((e: unknown) => e)) as EnvctlError
    expect(err.code).toBe('USAGE')
    expect(err.message).toBe('the name lab matches 2 environments')
    expect(err.problems.map((p) => p.message)).toEqual(['envctl-lab-aaaaaaaa: lab for /src/lab (uid 1000)', 'envctl-lab-bbbbbbbb: lab for /src/lab-2 (uid 1000)'])
  })
})
