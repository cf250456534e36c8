import { describe, expect, it } from 'vitest'
import type { ContainerSpec } from '../../../src/engine/engine.js'
import { commit, portsHeld, rollback, transientName, type Replacement } from '../../../src/environment/up/replace.js'
import { isTransient } from '../../../src/environment/find.js'
import { FakeEngine, envContainer } from './fake-engine.js'

const spec: ContainerSpec = { image: 'envctl/web:1', ports: [{ containerPort: 8888, hostPort: 8890, hostIp: '127.0.0.1' }, { containerPort: 3000, hostPort: 0, hostIp: '127.0.0.1' }] }
const oldWeb = () => envContainer('web', { ports: [{ containerPort: 8888, hostPort: 8890, hostIp: '127.0.0.1', protocol: 'tcp' }] })

describe('portsHeld', () => {
  it('names the fixed host ports a running old container holds', () => {
    expect(portsHeld(oldWeb(), spec)).toEqual([8890])
  })

  it('is empty for a stopped old container, or none', () => {
    expect(portsHeld({ ...oldWeb(), status: 'exited' }, spec)).toEqual([])
    expect(portsHeld(null, spec)).toEqual([])
  })
})

describe('a replacement', () => {
  const started = (fake: FakeEngine, old = oldWeb()) => {
    const next = envContainer('next', { id: 'id-new', name: transientName('envctl-web') })
    fake.containers.push(next)
    return { spec, old, stoppedOld: true, createdId: next.id, committed: false } as Replacement
  }

  it('has a transient name that lookups pass over', () => {
    expect(isTransient({ name: transientName('envctl-web-12345678') })).toBe(true)
    expect(isTransient({ name: 'envctl-web-12345678' })).toBe(false)
  })

  it('rolled back: the new container goes, the old one is started again', async () => {
    const fake = new FakeEngine([oldWeb()])
    const r = started(fake)
    fake.calls.length = 0
    expect(await rollback(fake.engine, r)).toEqual([])
    expect(fake.calls).toEqual(['rm id-new force', 'start id-web'])
  })

  it('committed: the old one goes and the new one takes the name; a later rollback does nothing', async () => {
    const fake = new FakeEngine([oldWeb()])
    const r = started(fake)
    fake.calls.length = 0
    await commit(fake.engine, r, 'envctl-web')
    expect(fake.calls).toEqual(['rm id-web force', 'rename id-new envctl-web'])
    expect(fake.containers.map((c) => c.name)).toEqual(['envctl-web'])
    expect(await rollback(fake.engine, r)).toEqual([])
    expect(fake.calls).toHaveLength(2)
  })
})
