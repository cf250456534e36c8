import { describe, expect, it } from 'vitest'
import { checkPort, pickFreePort } from '../../../src/notebook/ports.js'

const taken = (...ports: number[]) => async (p: number) => !ports.includes(p)

describe('checkPort', () => {
  it.each([1024, 8888, 65535])('accepts %i for a user', (port) => expect(() => checkPort(port, 1000, '--port')).not.toThrow())
  it('lets root use a port below 1024', () => expect(() => checkPort(80, 0, '--port')).not.toThrow())
  it.each([
    [80, 1000, /--port 80 is below 1024, which only root may use/],
    [1023, 1000, /below 1024/],
    [0, 0, /--port 0 is not a TCP port/],
    [65536, 1000, /65536 is not a TCP port/],
    [-1, 1000, /not a TCP port/],
    [8888.5, 1000, /not a TCP port/],
  ])('refuses %s (uid %i) with a hint', (port, uid, message) => {
    expect(() => checkPort(port, uid, '--port')).toThrow(expect.objectContaining({ code: 'USAGE', exitCode: 3, message: expect.stringMatching(message), hint: expect.stringContaining('1024 to 65535') }))
  })
})

describe('pickFreePort', () => {
  it('keeps the preferred port when it is free', async () => {
    expect(await pickFreePort(8888, taken())).toBe(8888)
  })

  it('moves to the next free port', async () => {
    expect(await pickFreePort(8888, taken(8888, 8889))).toBe(8890)
  })

  it('gives up after the scan, naming the range', async () => {
    await expect(pickFreePort(8888, taken(8888, 8889, 8890), 3)).rejects.toThrow(expect.objectContaining({ code: 'PORT_IN_USE', message: 'ports 8888-8890 on 127.0.0.1 are all taken' }))
  })

  it('never looks past 65535', async () => {
    const seen: number[] = []
    await expect(pickFreePort(65534, async (p) => (seen.push(p), false))).rejects.toThrow(/65534-65535/)
    expect(seen).toEqual([65534, 65535])
  })
})
