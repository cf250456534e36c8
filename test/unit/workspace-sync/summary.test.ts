import { describe, expect, it } from 'vitest'
import { pullLines, pushLine } from '../../../src/workspace-sync/summary.js'
import type { PushResult } from '../../../src/workspace-sync/push.js'

const push = (r: Partial<PushResult>): PushResult => ({ volume: 'envctl-p-1-workspace', engine: 'tcp://10.0.0.5:2376', created: false, uploaded: 0, uploadedBytes: 0, removed: 0, unchanged: 0, files: 0, bytes: 0, skipped: [], notes: [], ...r })

describe('the one line up says about the upload', () => {
  it('names the count, the size, the volume and the engine', () => {
    expect(pushLine(push({ created: true, uploaded: 1000, uploadedBytes: 200_000_000, files: 1000, bytes: 200_000_000 }))).toBe('workspace: uploaded 1,000 files (200 MB) to volume envctl-p-1-workspace on tcp://10.0.0.5:2376')
    expect(pushLine(push({ uploaded: 3, uploadedBytes: 1500, removed: 1, unchanged: 997, files: 1000 }))).toBe('workspace: 3 changed files uploaded (1.5 KB) to volume envctl-p-1-workspace on tcp://10.0.0.5:2376; 997 unchanged; 1 file removed there')
    expect(pushLine(push({ unchanged: 1, files: 1, bytes: 5 }))).toBe('workspace: up to date in volume envctl-p-1-workspace on tcp://10.0.0.5:2376 (1 file, 5 B)')
  })

  it('sync --pull names conflicts with what to do', () => {
    const lines = pullLines({ volume: 'v', engine: 'tcp://h:2376', written: ['a'], deleted: [], conflicts: ['b.txt'], unchanged: 4 })
    expect(lines).toEqual(['workspace: 1 file brought back from volume v on tcp://h:2376', expect.stringContaining('kept your b.txt: it changed here and in the volume')])
  })
})
