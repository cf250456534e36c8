/**
 * Disk full during a build, on a side engine whose data root is a small ext4: installing torch (CPU) from the
 * local mirror cannot fit, and envctl must say so with the engine's own words, where, and what to do.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import { runCli } from './support/cli.js'
import { testMirrors, testRunId } from './support/cleanup.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'
import { describeSideEngine, SideEngine } from './support/side-engine.js'

const id = testRunId().replace(/[^a-z0-9]/g, '')
const mirrors = testMirrors()

function torchStack(): string {
  return [
    `name = "fdisk-${id}"`,
    'extends = "pytorch"',
    '[frameworks]\npytorch = "2.13.0"',
    '[gpu]\nmode = "none"',
    `[mirrors]\npip = "${mirrors.pipIndex}"\npytorch = "${mirrors.pytorchMirror}"`,
    '[network]\nbuild_network = "host"',
    '',
  ].join('\n')
}

describeSideEngine('a build that fills the engine\'s disk', () => {
  let engine: SideEngine
  let ws: Workspace

  beforeAll(async () => {
    engine = await SideEngine.start({ dataRootMiB: 1024 })
    ws = await makeWorkspace({ 'envctl.toml': torchStack() })
  })

  afterAll(async () => {
    await engine?.teardown()
    await ws?.remove()
  })

  it('fails with DISK_FULL: the engine\'s message, its data root, and how to free space; no stack trace, no tag', async () => {
    const r = await runCli(['build'], { cwd: ws.dir, user: ws.user, env: { DOCKER_HOST: engine.dockerHost } })
    expect(r.code, `${r.stderr}\n--- dockerd\n${engine.logTail()}`).toBe(21)
    expect(r.stderr).toContain(`error[DISK_FULL]: the engine ran out of disk space at ${engine.dataRoot} during build step "[stage-0`)
    expect(r.stderr).toMatch(/during build step "[^"\n]+": .*(No space left on device|\[Errno 28\])/)
    expect(r.stderr).toMatch(/fix: free space in .*: envctl prune .*docker system df/)
    expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    const images = await engine.docker.listImages({ all: true })
    expect(images.flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith('envctl/'))).toEqual([])
    expect(images.filter((i) => !i.RepoTags?.length || i.RepoTags[0] === '<none>:<none>')).toEqual([])
  })
})
