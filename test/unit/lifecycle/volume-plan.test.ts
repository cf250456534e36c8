import { describe, expect, it } from 'vitest'
import { KEPT_BY_DEFAULT, planVolumeRemoval } from '../../../src/environment/volume-plan.js'

const users = new Map([
  ['envctl-cache-pip', ['envctl-b', 'envctl-a']],
  ['envctl-cache-npm', []],
])

describe('planVolumeRemoval', () => {
  it('keeps every cache when not asked to remove any, saying how to', () => {
    expect(planVolumeRemoval(['envctl-cache-pip', 'envctl-cache-huggingface'], users, false)).toEqual({
      remove: [],
      kept: [
        { name: 'envctl-cache-huggingface', reason: KEPT_BY_DEFAULT },
        { name: 'envctl-cache-pip', reason: KEPT_BY_DEFAULT },
      ],
    })
    expect(KEPT_BY_DEFAULT).toContain('--volumes')
  })

  it('removes only caches no other container uses, and names the users of the rest', () => {
    expect(planVolumeRemoval(['envctl-cache-pip', 'envctl-cache-npm', 'envctl-cache-huggingface'], users, true)).toEqual({
      remove: ['envctl-cache-huggingface', 'envctl-cache-npm'],
      kept: [{ name: 'envctl-cache-pip', reason: 'in use by envctl-a, envctl-b' }],
    })
  })

  it('considers a volume mounted twice once', () => {
    expect(planVolumeRemoval(['v', 'v'], new Map(), true)).toEqual({ remove: ['v'], kept: [] })
  })
})
