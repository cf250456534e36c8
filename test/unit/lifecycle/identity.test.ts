import { describe, expect, it } from 'vitest'
import { envIdentity, identityLabels } from '../../../src/environment/identity.js'

const base = { stack: 'vision-lab', isProject: true, workspace: '/home/ana/src/vision', uid: 1000 }

describe('envIdentity', () => {
  it('names the container readably, with a short hash of who and where', () => {
    const id = envIdentity(base)
    expect(id.name).toBe('vision-lab')
    expect(id.container).toMatch(/^envctl-vision-lab-[0-9a-f]{8}$/)
    expect(id.container.slice(-8)).toBe(id.key.slice(0, 8))
    expect(id.legacyContainer).toBe('envctl-vision-lab')
  })

  it.each([
    ['another folder with the same stack name (a second clone)', { workspace: '/home/ana/src/vision-2' }],
    ['another user on the same folder', { uid: 1001 }],
    ['another stack in the same folder', { stack: 'vision-lab-cuda' }],
  ])('gives %s another environment', (_, change) => {
    const a = envIdentity(base)
    const b = envIdentity({ ...base, ...change })
    expect(b.key).not.toBe(a.key)
    expect(b.container).not.toBe(a.container)
  })

  it('is shared only when named explicitly: the same --name from two folders and two users is one environment', () => {
    const a = envIdentity({ ...base, name: 'Team GPU' })
    const b = envIdentity({ ...base, workspace: '/home/bo/vision', uid: 1001, name: 'team-gpu' })
    expect(a.key).toBe(b.key)
    expect(a.container).toBe('envctl-team-gpu')
    expect(a.named).toBe(true)
  })

  it('names a built-in used directly after the folder, as before', () => {
    expect(envIdentity({ ...base, stack: 'pytorch', isProject: false }).name).toBe('vision-pytorch')
  })

  it('labels the container with workspace, owner and key', () => {
    const id = envIdentity(base)
    expect(identityLabels(id)).toEqual({
      'dev.envctl.managed': '1',
      'dev.envctl.project': 'vision-lab',
      'dev.envctl.workspace': '/home/ana/src/vision',
      'dev.envctl.uid': '1000',
      'dev.envctl.env-key': id.key,
    })
    expect(identityLabels(envIdentity({ ...base, name: 'x' }))['dev.envctl.named']).toBe('1')
  })
})
