import { describe, expect, it } from 'vitest'
import { decidePort, type ExistingEnv, type NotebookWish } from '../../../src/notebook/decide.js'
import type { PortProbe } from '../../../src/notebook/ports.js'

const off = { enabled: false, port: null }
const free: PortProbe = async () => true
const busy = (...ports: number[]): PortProbe => async (p) => !ports.includes(p)
const running = (port: number | null): ExistingEnv => ({ notebookPort: port, running: true })
const stopped = (port: number | null): ExistingEnv => ({ notebookPort: port, running: false })

async function decide(wish: NotebookWish, existing: ExistingEnv | null, isFree: PortProbe = free, stack: { enabled: boolean; port: number | null } = off) {
  return decidePort(wish, stack, existing, isFree)
}

describe('decidePort', () => {
  it('runs no notebook unless asked for', async () => {
    expect(await decide({}, null)).toEqual({ port: null, recreate: null, notes: [] })
    expect(await decide({}, running(null))).toEqual({ port: null, recreate: null, notes: [] })
  })

  it('takes 8888 for --notebook, the stack file, or --port alone', async () => {
    expect((await decide({ enabled: true }, null)).port).toBe(8888)
    expect((await decide({}, null, free, { enabled: true, port: null })).port).toBe(8888)
    expect((await decide({}, null, free, { enabled: true, port: 9000 })).port).toBe(9000)
    expect((await decide({ port: 9001 }, null)).port).toBe(9001)
  })

  it('says so when the port is taken and uses the next free one', async () => {
    expect(await decide({ enabled: true }, null, busy(8888))).toEqual({ port: 8889, recreate: null, notes: ['port 8888 is taken: the notebook uses 8889 instead'] })
  })

  it('recreates a container made without the notebook, and says the workspace is kept', async () => {
    const d = await decide({ enabled: true }, running(null))
    expect(d.port).toBe(8888)
    expect(d.recreate).toMatch(/container recreated to publish the notebook port \(the workspace is a bind mount, so nothing in it is lost\)/)
  })

  it('keeps a running notebook on its own port: that port is ours, not taken', async () => {
    expect(await decide({}, running(8890), busy(8890))).toEqual({ port: 8890, recreate: null, notes: [] })
    expect(await decide({ enabled: true }, running(8890), busy(8890))).toEqual({ port: 8890, recreate: null, notes: [] })
  })

  it('restarts a stopped notebook on the same port when it is free', async () => {
    expect(await decide({}, stopped(8890))).toEqual({ port: 8890, recreate: null, notes: [] })
  })

  it('moves a stopped notebook whose port was taken meanwhile, recreating the container', async () => {
    const d = await decide({}, stopped(8890), busy(8890))
    expect(d).toMatchObject({ port: 8891, notes: ['port 8890 is taken: the notebook uses 8891 instead'] })
    expect(d.recreate).toMatch(/from port 8890 to 8891/)
  })

  it('moves the notebook when --port asks for another one', async () => {
    const d = await decide({ port: 9000 }, running(8888))
    expect(d.port).toBe(9000)
    expect(d.recreate).toMatch(/from port 8888 to 9000/)
  })

  it('keeps the port the container has over the stack file default', async () => {
    expect((await decide({}, stopped(8890), free, { enabled: true, port: 8888 })).port).toBe(8890)
  })

  it('drops the notebook for --no-notebook, recreating the container', async () => {
    const d = await decide({ enabled: false }, running(8888), free, { enabled: true, port: null })
    expect(d.port).toBeNull()
    expect(d.recreate).toMatch(/without the notebook/)
  })
})
