import { describe, expect, it } from 'vitest'
import type { Engine } from '../../../src/engine/engine.js'
import { EnvctlError } from '../../../src/errors/envctl-error.js'
import { injectUser } from '../../../src/environment/container/user-setup.js'

/** An engine whose reads fail as given, recording what would be written. */
function engineReading(fail: (path: string) => EnvctlError | null, files: Record<string, string> = {}) {
  const writes: string[] = []
  const engine = {
    async readFile(_id: string, path: string) {
      const err = fail(path)
      if (err) throw err
      return Buffer.from(files[path] ?? '')
    },
    async putFiles(_id: string, dir: string, entries: Array<{ path: string }>) {
      writes.push(...entries.map((e) => `${dir}/${e.path}`))
    },
  } as unknown as Engine
  return { engine, writes }
}

describe('injectUser reads what it extends', () => {
  it('treats a file the image lacks as empty (no /etc/shells in a minimal image)', async () => {
    const { engine, writes } = engineReading((p) => (p === '/etc/shells' ? new EnvctlError('NOT_FOUND', 'no such file') : null), { '/etc/passwd': 'root:x:0:0:root:/root:/bin/bash\n', '/etc/group': 'root:x:0:\n' })
    await injectUser(engine, 'c1', 1500, 1500)
    expect(writes).toContain('/etc/passwd')
  })

  it('fails, writing nothing, when the engine cannot read /etc/passwd: never a passwd with one line', async () => {
    const { engine, writes } = engineReading((p) => (p === '/etc/passwd' ? new EnvctlError('ENGINE_UNREACHABLE', 'the engine went away') : null))
    await expect(injectUser(engine, 'c1', 1500, 1500)).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE' })
    expect(writes).toEqual([])
  })
})
