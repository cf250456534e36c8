/**
 * DockerodeEngine against the real engine (no mocks): BuildKit builds and their events, failure paths,
 * containers, files, exec, GPU and port failures. Everything is labelled and removed in afterAll.
 */
import { createServer } from 'node:net'
import { PassThrough, Readable } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectEngine } from '../../src/engine/connect.js'
import type { ContainerSpec, Engine, ExecOptions, ProgressEvent } from '../../src/engine/engine.js'
import { removeByLabel, testRunId, testRunLabels, TEST_RUN_LABEL } from './support/cleanup.js'
import { describeEngine } from './support/engine.js'
import { onlyInMirror } from './support/registry.js'

const BASE = 'debian:bookworm-slim'
const runId = testRunId()
const labels = { 'dev.envctl.test': '1', ...testRunLabels() }
const byRun = { [TEST_RUN_LABEL]: runId }
const tag = (name: string) => `envctl-test/engine-${name}:${runId}`

function collector() {
  const stream = new PassThrough()
  const chunks: Buffer[] = []
  stream.on('data', (c: Buffer) => chunks.push(c))
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') }
}

async function execText(engine: Engine, id: string, opts: Omit<ExecOptions, 'stdout' | 'stderr'>) {
  const out = collector()
  const err = collector()
  const code = await engine.exec(id, { ...opts, stdout: out.stream, stderr: err.stream })
  return { code, stdout: out.text(), stderr: err.text() }
}

describe('an unreachable engine', () => {
  it('is ENGINE_UNREACHABLE, naming the host and the fix', async () => {
    const engine = await connectEngine({ host: 'unix:///nonexistent.sock' })
    await expect(engine.ping()).rejects.toMatchObject({
      code: 'ENGINE_UNREACHABLE',
      message: 'cannot reach the Docker engine at unix:///nonexistent.sock: the socket does not exist',
      hint: expect.stringContaining('DOCKER_HOST'),
    })
    await expect(engine.listContainers()).rejects.toMatchObject({ code: 'ENGINE_UNREACHABLE' })
  })
})

describeEngine('DockerodeEngine', () => {
  let engine: Engine

  beforeAll(async () => {
    engine = await connectEngine({ host: process.env.DOCKER_HOST })
    await engine.ping()
  })

  afterAll(async () => {
    await removeByLabel()
  })

  /** Ids of all containers whose command mentions `marker` (a build's RUN step would). */
  async function containersMentioning(marker: string): Promise<string[]> {
    const docker = new (await import('dockerode')).default()
    const all = await docker.listContainers({ all: true })
    return all.filter((c) => c.Command.includes(marker)).map((c) => c.Id)
  }

  describe('build', () => {
    it('builds with BuildKit from an in-memory Dockerfile, reporting steps and decoded UTF-8 logs', { timeout: 120_000 }, async () => {
      const events: ProgressEvent[] = []
      const dockerfile = [
        `FROM ${BASE}`,
        `RUN --mount=type=cache,target=/var/cache/envctl-test echo "héllo wörld ✓ ${runId}" && touch /var/cache/envctl-test/${runId}`,
        'COPY greeting.txt /greeting.txt',
        '',
      ].join('\n')
      const { imageId } = await engine.buildImage({
        dockerfile,
        contextFiles: { 'greeting.txt': 'grüß dich\n' },
        tag: tag('ok'),
        labels,
        buildArgs: { UNUSED: '1' },
        onProgress: (e) => events.push(e),
      })

      const image = await engine.inspectImage(tag('ok'))
      expect(image.id).toBe(imageId)
      expect(image.labels).toMatchObject(labels)
      const run = events.find((e) => e.kind === 'step' && e.name.includes('RUN --mount=type=cache') && e.done)
      expect(run).toMatchObject({ kind: 'step', cached: false, done: true })
      expect(run && 'error' in run).toBe(false)
      expect(events).toContainEqual({ kind: 'log', stepId: run?.kind === 'step' ? run.id : '', text: `héllo wörld ✓ ${runId}` })

      const again: ProgressEvent[] = []
      await engine.buildImage({ dockerfile, contextFiles: { 'greeting.txt': 'grüß dich\n' }, tag: tag('ok'), labels, onProgress: (e) => again.push(e) })
      expect(again.filter((e) => e.kind === 'step' && e.name.includes('RUN --mount=type=cache')).at(-1)).toMatchObject({ cached: true, done: true })
      expect((await engine.listImages({ labels: byRun })).map((i) => i.id)).toContain(imageId)
    })

    it('fails a failing RUN step with BUILD_FAILED naming the step, tags nothing, leaves no container', { timeout: 120_000 }, async () => {
      const marker = `envctl-fail-${runId}`
      const build = engine.buildImage({
        dockerfile: `FROM ${BASE}\nRUN echo "about to fail: ${marker}" && echo "ünïcode on stderr" >&2 && exit 3\n`,
        tag: tag('fail'),
        labels,
      })
      await expect(build).rejects.toMatchObject({
        code: 'BUILD_FAILED',
        step: expect.stringContaining(`RUN echo "about to fail: ${marker}"`),
        message: expect.stringMatching(/^build failed at step "\[2\/2\] RUN echo .*": .*exit code: 3$/),
        logTail: expect.arrayContaining([`about to fail: ${marker}`, 'ünïcode on stderr']),
      })
      expect(await engine.imageExists(tag('fail'))).toBe(false)
      expect(await containersMentioning(marker)).toEqual([])
    })

    it('cancels on abort and leaves the tag where it pointed before', { timeout: 120_000 }, async () => {
      const { imageId: previous } = await engine.buildImage({ dockerfile: `FROM ${BASE}\nLABEL run=${runId}\n`, tag: tag('abort'), labels })
      const controller = new AbortController()
      const started = Date.now()
      const build = engine.buildImage({
        dockerfile: `FROM ${BASE}\nRUN echo started-${runId} && sleep 60\n`,
        tag: tag('abort'),
        labels,
        signal: controller.signal,
        onProgress: (e) => {
          if (e.kind === 'log' && e.text === `started-${runId}`) controller.abort()
        },
      })
      await expect(build).rejects.toMatchObject({ code: 'INTERRUPTED' })
      expect(Date.now() - started).toBeLessThan(30_000)
      expect((await engine.inspectImage(tag('abort'))).id).toBe(previous)
    })
  })

  describe('containers', () => {
    const spec = (name: string, extra: Partial<ContainerSpec> = {}): ContainerSpec => ({
      name: `envctl-test-${name}-${runId}`,
      image: BASE,
      cmd: ['sh', '-c', 'echo booted; exec sleep infinity'],
      labels,
      init: true,
      ...extra,
    })

    it('creates, starts, copies files in and out, execs, logs, stops and removes', { timeout: 60_000 }, async () => {
      const id = await engine.createContainer(spec('life'))
      await engine.startContainer(id)
      expect(await engine.inspectContainer(id)).toMatchObject({ id, name: `envctl-test-life-${runId}`, status: 'running', running: true, labels })
      expect((await engine.listContainers({ labels: byRun })).map((c) => c.id)).toContain(id)

      await engine.putFiles(id, '/tmp', [{ path: 'envctl/conf/a.txt', content: 'héllo\n', mode: 0o640, uid: 1000, gid: 1001 }])
      const stat = await execText(engine, id, { cmd: ['stat', '-c', '%a %u:%g %n', '/tmp/envctl', '/tmp/envctl/conf', '/tmp/envctl/conf/a.txt'] })
      expect(stat).toEqual({ code: 0, stdout: '755 1000:1001 /tmp/envctl\n755 1000:1001 /tmp/envctl/conf\n640 1000:1001 /tmp/envctl/conf/a.txt\n', stderr: '' })
      expect((await engine.readFile(id, '/tmp/envctl/conf/a.txt')).toString('utf8')).toBe('héllo\n')
      await expect(engine.readFile(id, '/tmp/nope')).rejects.toMatchObject({ code: 'NOT_FOUND' })
      await expect(engine.readFile(id, '/tmp/envctl')).rejects.toMatchObject({ code: 'NOT_FOUND' })

      expect(await execText(engine, id, { cmd: ['sh', '-c', 'echo "$GREETING from $(id -u) in $(pwd)"; echo oops >&2; exit 3'], env: { GREETING: 'hi' }, user: '1000', workdir: '/tmp' })).toEqual({
        code: 3,
        stdout: 'hi from 1000 in /tmp\n',
        stderr: 'oops\n',
      })
      expect(await execText(engine, id, { cmd: ['cat'], stdin: Readable.from([Buffer.from('piped ✓\n')]) })).toMatchObject({ code: 0, stdout: 'piped ✓\n' })
      expect(await execText(engine, id, { cmd: ['sh', '-c', 'test -t 1 && echo tty'], tty: true })).toMatchObject({ code: 0, stdout: 'tty\r\n' })

      const logs = collector()
      await engine.logs(id, { stdout: logs.stream, stderr: new PassThrough() })
      expect(logs.text()).toBe('booted\n')
      const following = collector()
      const stop = new AbortController()
      following.stream.once('data', () => stop.abort())
      await engine.logs(id, { follow: true, stdout: following.stream, stderr: new PassThrough(), signal: stop.signal })
      expect(following.text()).toBe('booted\n')

      await engine.stopContainer(id, { timeoutSeconds: 1 })
      expect(await engine.inspectContainer(id)).toMatchObject({ status: 'exited', running: false })
      await engine.removeContainer(id)
      await expect(engine.inspectContainer(id)).rejects.toMatchObject({ code: 'NOT_FOUND' })
      await engine.removeContainer(id)
    })

    it('refuses a second container with the same name as NAME_CONFLICT', async () => {
      const id = await engine.createContainer(spec('dup'))
      await expect(engine.createContainer(spec('dup'))).rejects.toMatchObject({ code: 'NAME_CONFLICT' })
      await engine.removeContainer(id, { force: true })
    })

    it('maps a GPU request on an engine without the NVIDIA runtime to GPU_UNAVAILABLE and removes the container', async (ctx) => {
      if ((await engine.info()).runtimes.includes('nvidia')) ctx.skip('this engine has the nvidia runtime, so a GPU request may succeed')
      const id = await engine.createContainer(spec('gpu', { cmd: ['true'], gpus: { count: 'all' } }))
      await expect(engine.startContainer(id)).rejects.toMatchObject({
        code: 'GPU_UNAVAILABLE',
        message: expect.stringContaining('could not select device driver'),
      })
      await expect(engine.inspectContainer(id)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    })

    it('maps a taken host port to PORT_IN_USE and removes the container', async () => {
      const server = createServer()
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
      const port = (server.address() as { port: number }).port
      try {
        const id = await engine.createContainer(spec('port', { ports: [{ containerPort: 8888, hostPort: port }] }))
        await expect(engine.startContainer(id)).rejects.toMatchObject({ code: 'PORT_IN_USE' })
        await expect(engine.inspectContainer(id)).rejects.toMatchObject({ code: 'NOT_FOUND' })
      } finally {
        server.close()
      }
    })
  })

  describe('images and volumes', () => {
    it('tags an image and removes the tag', async () => {
      await engine.tagImage(BASE, tag('tagged'))
      expect((await engine.inspectImage(tag('tagged'))).id).toBe((await engine.inspectImage(BASE)).id)
      await engine.removeImage(tag('tagged'))
      expect(await engine.imageExists(tag('tagged'))).toBe(false)
      expect(await engine.imageExists(BASE)).toBe(true)
    })

    it('pulls through the mirror, reporting progress', { timeout: 60_000 }, async () => {
      // A tag only the mirror has: not in the engine's store, and Docker Hub is unreachable.
      const ref = await onlyInMirror(BASE, 'debian', `envctl-pull-${runId}`)
      try {
        expect(await engine.imageExists(ref)).toBe(false)
        const events: ProgressEvent[] = []
        await engine.pullImage(ref, { onProgress: (e) => events.push(e) })
        const statuses = events.flatMap((e) => (e.kind === 'pull' ? [e.status] : []))
        expect(statuses.join('\n')).toMatch(new RegExp(`Downloaded newer image for \\S*${ref}$`, 'm'))
        expect((await engine.inspectImage(ref)).id).toBe((await engine.inspectImage(BASE)).id)
      } finally {
        await engine.removeImage(ref)
      }
    })

    it('fails a pull of a missing tag with PULL_FAILED and both remedies', { timeout: 60_000 }, async () => {
      await expect(engine.pullImage(`debian:envctl-no-such-tag-${runId}`)).rejects.toMatchObject({
        code: 'PULL_FAILED',
        message: expect.stringMatching(/^cannot pull debian:envctl-no-such-tag-/),
        hint: expect.stringMatching(/\[mirrors\] registry.*docker login/),
      })
    })

    it('creates, lists by label and removes volumes', async () => {
      const name = await engine.createVolume({ name: `envctl-test-vol-${runId}`, labels })
      expect((await engine.listVolumes({ labels: byRun })).map((v) => v.name)).toEqual([name])
      await engine.removeVolume(name)
      expect(await engine.listVolumes({ labels: byRun })).toEqual([])
      await engine.removeVolume(name)
    })

    // pruneBuildCache is not exercised here: other test files build in parallel and rely on the shared cache.
    it('reports the engine', async () => {
      const info = await engine.info()
      expect(info.dockerRootDir).toMatch(/^\//)
      expect(info.runtimes).toContain('runc')
      expect((await engine.version()).apiVersion).toMatch(/^1\.\d+$/)
    })
  })
})
