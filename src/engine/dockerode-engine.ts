import type { Readable } from 'node:stream'
import type Dockerode from 'dockerode'
import { EnvctlError } from '../errors/envctl-error.js'
import { toContainerInfo, toContainerSummary, toCreateOptions, labelFilters } from './container-spec.js'
import type { EngineTarget } from './docker-host.js'
import { copyLogs, runExec } from './docker-stdio.js'
import type * as E from './engine.js'
import { diskFull, diskFullIn, engineFailure, engineMessage, engineUnreachable, isConnectionError, startFailed, statusCodeOf } from './engine-errors.js'
import { firstFileInTar, packTar } from './tar.js'

const PING_TIMEOUT_MS = 5_000

/** The Engine over the Docker Engine API, through dockerode. Build with connectEngine(), which loads dockerode lazily. */
export class DockerodeEngine implements E.Engine {
  readonly host: string
  readonly local: boolean
  readonly source: string
  readonly tunnel?: E.EngineTunnel

  constructor(
    private readonly docker: Dockerode,
    private readonly target: EngineTarget,
    tunnel?: E.EngineTunnel,
  ) {
    this.host = target.display
    this.local = target.local
    this.source = target.source
    if (tunnel) this.tunnel = tunnel
  }

  async ping(): Promise<void> {
    const timeout = AbortSignal.timeout(PING_TIMEOUT_MS)
    try {
      await (this.docker.ping as (opts: { abortSignal: AbortSignal }) => Promise<unknown>)({ abortSignal: timeout })
    } catch (err) {
      throw engineUnreachable(this.host, timeout.aborted ? { name: 'TimeoutError' } : err, this.target.tls)
    }
  }

  version(): Promise<E.EngineVersion> {
    return this.call('engine version', async () => {
      const v = await this.docker.version()
      return { version: v.Version, apiVersion: v.ApiVersion, minApiVersion: v.MinAPIVersion, os: v.Os, arch: v.Arch, kernelVersion: v.KernelVersion }
    })
  }

  info(): Promise<E.EngineInfo> {
    return this.call('engine info', async () => {
      const i = await this.docker.info()
      return {
        serverVersion: i.ServerVersion,
        runtimes: Object.keys(i.Runtimes ?? {}).sort(),
        defaultRuntime: i.DefaultRuntime,
        dockerRootDir: i.DockerRootDir,
        operatingSystem: i.OperatingSystem,
        storageDriver: i.Driver,
        cpus: i.NCPU,
        memoryBytes: i.MemTotal,
        registryMirrors: i.RegistryConfig?.Mirrors ?? [],
      }
    })
  }

  async imageExists(ref: string): Promise<boolean> {
    try {
      await this.inspectImage(ref)
      return true
    } catch (err) {
      if (err instanceof EnvctlError && err.code === 'NOT_FOUND') return false
      throw err
    }
  }

  inspectImage(ref: string): Promise<E.ImageInfo> {
    return this.call(`image ${ref}`, async () => {
      const i = await this.docker.getImage(ref).inspect()
      return { id: i.Id, labels: i.Config?.Labels ?? {}, repoTags: i.RepoTags ?? [], repoDigests: i.RepoDigests ?? [], created: i.Created }
    })
  }

  pullImage(ref: string, opts: E.PullOptions = {}): Promise<void> {
    return this.call(`pull of ${ref}`, async () => {
      try {
        await this.pullStream(ref, opts)
      } catch (err) {
        if (!opts.signal?.aborted) throw err
        throw new EnvctlError('INTERRUPTED', `pull of ${ref} interrupted; the engine keeps no half-pulled image`, { hint: 'run the command again to pull', cause: err })
      }
    })
  }

  private async pullStream(ref: string, opts: E.PullOptions): Promise<void> {
    const { pullFailed, readPullStream } = await import('./pull-stream.js')
    let stream: Readable
    try {
      stream = (await this.docker.pull(ref, { authconfig: opts.auth, abortSignal: opts.signal })) as Readable
    } catch (err) {
      if (isConnectionError(err)) throw engineUnreachable(this.host, err, this.target.tls)
      throw pullFailed(ref, engineMessage(err), { cause: err })
    }
    await readPullStream(stream, ref, opts.onProgress)
  }

  buildImage(opts: E.BuildOptions): Promise<E.BuildResult> {
    // The build client (BuildKit trace decoding, build streams) loads with the first build: `up` on a cached image never needs it.
    return this.call(`build of ${opts.tag}`, async () => ({ imageId: await (await import('./docker-build.js')).runBuild(this.docker, opts) }))
  }

  listImages(opts: { labels?: E.LabelFilter } = {}): Promise<E.ImageSummary[]> {
    return this.call('images', async () => {
      const images = await this.docker.listImages({ filters: labelFilters(opts.labels) })
      return images.map((i) => ({ id: i.Id, repoTags: i.RepoTags ?? [], labels: i.Labels ?? {}, created: i.Created, sizeBytes: i.Size }))
    })
  }

  removeImage(ref: string, opts: { force?: boolean } = {}): Promise<void> {
    return this.call(`image ${ref}`, () => ignoreMissing(this.docker.getImage(ref).remove({ force: opts.force ?? false })))
  }

  tagImage(source: string, target: string): Promise<void> {
    return this.call(`image ${source}`, async () => {
      const { splitTag } = await import('./docker-build.js')
      await this.docker.getImage(source).tag(splitTag(target))
    })
  }

  pushImage(ref: string, opts: E.PushOptions = {}): Promise<{ digest: string }> {
    return this.call(`push of ${ref}`, async () => {
      const [{ splitTag }, { pushFailed, readPushStream }] = await Promise.all([import('./docker-build.js'), import('./push-stream.js')])
      const { repo, tag } = splitTag(ref)
      let stream: Readable
      try {
        // The engine wants X-Registry-Auth on every push, even an empty one.
        stream = (await this.docker.getImage(repo).push({ tag, authconfig: opts.auth ?? {}, abortSignal: opts.signal } as Dockerode.ImagePushOptions)) as Readable
      } catch (err) {
        if (isConnectionError(err)) throw engineUnreachable(this.host, err, this.target.tls)
        throw pushFailed(ref, engineMessage(err), { cause: err })
      }
      return { digest: await readPushStream(stream, ref) }
    })
  }

  pruneBuildCache(opts: { all?: boolean } = {}): Promise<{ spaceReclaimedBytes: number }> {
    return this.call('build cache', async () => {
      const result = await this.docker.pruneBuilder(opts.all ? ({ all: true } as Dockerode.PruneBuilderOptions) : {})
      return { spaceReclaimedBytes: result.SpaceReclaimed ?? 0 }
    })
  }

  createContainer(spec: E.ContainerSpec): Promise<string> {
    return this.call(spec.name ? `container name "${spec.name}"` : `container from ${spec.image}`, async () => {
      return (await this.docker.createContainer(toCreateOptions(spec))).id
    })
  }

  async startContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start()
    } catch (err) {
      if (statusCodeOf(err) === 304) return
      if (isConnectionError(err) || statusCodeOf(err) === 404) throw engineFailure(err, this.host, `container ${id}`)
      const gpu = await this.removeIfNeverRan(id)
      throw startFailed(err, id, { gpu })
    }
  }

  /**
   * A container whose start failed stays "created" (a GPU request, a taken port, a failing hook); it must not
   * linger. Returns whether it asked for GPUs, which decides how its error reads.
   */
  private async removeIfNeverRan(id: string): Promise<boolean> {
    try {
      const container = this.docker.getContainer(id)
      const info = await container.inspect()
      if (info.State.Status === 'created') await container.remove({ force: true })
      return (info.HostConfig.DeviceRequests ?? []).length > 0
    } catch {
      // Already gone (AutoRemove) or the engine went away: nothing more to clean here.
      return false
    }
  }

  stopContainer(id: string, opts: { timeoutSeconds?: number } = {}): Promise<void> {
    return this.call(`container ${id}`, async () => {
      try {
        await this.docker.getContainer(id).stop(opts.timeoutSeconds === undefined ? {} : { t: opts.timeoutSeconds })
      } catch (err) {
        if (statusCodeOf(err) !== 304) throw err
      }
    })
  }

  renameContainer(id: string, name: string): Promise<void> {
    return this.call(`container name "${name}"`, async () => {
      await this.docker.getContainer(id).rename({ name })
    })
  }

  removeContainer(id: string, opts: { force?: boolean; volumes?: boolean } = {}): Promise<void> {
    return this.call(`container ${id}`, () =>
      ignoreMissing(this.docker.getContainer(id).remove({ force: opts.force ?? false, v: opts.volumes ?? false })),
    )
  }

  inspectContainer(id: string): Promise<E.ContainerInfo> {
    return this.call(`container ${id}`, async () => toContainerInfo(await this.docker.getContainer(id).inspect()))
  }

  listContainers(opts: { labels?: E.LabelFilter; all?: boolean } = {}): Promise<E.ContainerSummary[]> {
    return this.call('containers', async () => {
      const list = await this.docker.listContainers({ all: opts.all ?? false, filters: labelFilters(opts.labels) })
      return list.map(toContainerSummary)
    })
  }

  putFiles(containerId: string, destDir: string, files: E.FileEntry[]): Promise<void> {
    return this.call(`directory ${destDir} in container ${containerId}`, async () => {
      const mtime = Math.floor(Date.now() / 1000)
      await this.docker.getContainer(containerId).putArchive(packTar(files.map((f) => ({ ...f, mtime: f.mtime ?? mtime }))), { path: destDir })
    })
  }

  readFile(containerId: string, path: string): Promise<Buffer> {
    return this.call(`file ${path} in container ${containerId}`, async () => {
      const archive = await this.docker.getContainer(containerId).getArchive({ path })
      const file = firstFileInTar(await collect(archive))
      if (!file) throw new EnvctlError('NOT_FOUND', `${path} in container ${containerId.slice(0, 12)} is not a regular file`)
      return file.content
    })
  }

  exec(containerId: string, opts: E.ExecOptions): Promise<number> {
    return this.call(`container ${containerId}`, () => runExec(this.docker, containerId, opts))
  }

  logs(containerId: string, opts: E.LogsOptions): Promise<void> {
    return this.call(`container ${containerId}`, () => copyLogs(this.docker, containerId, opts))
  }

  createNetwork(opts: { name: string; labels?: Record<string, string> }): Promise<string> {
    return this.call(`network "${opts.name}"`, async () => (await this.docker.createNetwork({ Name: opts.name, Driver: 'bridge', CheckDuplicate: true, Labels: opts.labels ?? {} })).id)
  }

  listNetworks(opts: { labels?: E.LabelFilter } = {}): Promise<E.NetworkSummary[]> {
    return this.call('networks', async () => {
      const list = await this.docker.listNetworks({ filters: labelFilters(opts.labels) })
      return list.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} }))
    })
  }

  removeNetwork(name: string): Promise<void> {
    return this.call(`network "${name}"`, () => ignoreMissing(this.docker.getNetwork(name).remove()))
  }

  createVolume(opts: { name?: string; labels?: Record<string, string> }): Promise<string> {
    return this.call(`volume ${opts.name ?? ''}`.trim(), async () => {
      const created = (await this.docker.createVolume({ Name: opts.name, Labels: opts.labels ?? {} })) as unknown as { Name?: string; name?: string }
      return created.Name ?? created.name ?? opts.name ?? ''
    })
  }

  listVolumes(opts: { labels?: E.LabelFilter } = {}): Promise<E.VolumeSummary[]> {
    return this.call('volumes', async () => {
      const { Volumes } = await this.docker.listVolumes({ filters: labelFilters(opts.labels) })
      return (Volumes ?? []).map((v) => ({ name: v.Name, labels: v.Labels ?? {}, mountpoint: v.Mountpoint, createdAt: (v as { CreatedAt?: string }).CreatedAt }))
    })
  }

  removeVolume(name: string, opts: { force?: boolean } = {}): Promise<void> {
    return this.call(`volume ${name}`, () => ignoreMissing(this.docker.getVolume(name).remove({ force: opts.force ?? false })))
  }

  private async call<T>(subject: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn()
    } catch (err) {
      throw await this.diskFullOr(engineFailure(err, this.host, subject), subject)
    }
  }

  /** A full disk shows up as a failed build step, pull or create; say so, and where, instead. */
  private async diskFullOr(err: unknown, subject: string): Promise<unknown> {
    const facts = diskFullIn(err, subject)
    if (!facts) return err
    const dataRoot = await this.docker.info().then((i: { DockerRootDir?: string }) => i.DockerRootDir, () => undefined)
    return diskFull(facts, { dataRoot, cause: err })
  }
}

/** Removing something that is already gone is what the caller wanted. */
async function ignoreMissing(p: Promise<unknown>): Promise<void> {
  try {
    await p
  } catch (err) {
    if (statusCodeOf(err) !== 404) throw err
  }
}

async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk))
  return Buffer.concat(chunks)
}
