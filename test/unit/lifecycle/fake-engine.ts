/**
 * An in-memory Engine for the lifecycle services' unit tests: just the calls they make, recorded in order.
 * Behaviour against a real engine is covered by test/integration/lifecycle.test.ts.
 */
import type { ContainerInfo, ContainerSummary, Engine, ExecOptions, ImageSummary, MountSpec, VolumeSummary } from '../../../src/engine/engine.js'

export interface FakeContainer extends ContainerSummary {
  mounts: MountSpec[]
}

export function envContainer(env: string, over: Partial<FakeContainer> = {}): FakeContainer {
  return {
    id: `id-${env}`,
    name: `envctl-${env}`,
    image: `envctl/${env}:1`,
    imageId: `sha256:${env}`,
    labels: { 'dev.envctl.managed': '1', 'dev.envctl.project': env, 'dev.envctl.workspace': `/src/${env}` },
    status: 'running',
    statusText: 'Up',
    created: 0,
    ports: [],
    mounts: [{ type: 'bind', source: `/src/${env}`, target: '/workspace' }],
    ...over,
  }
}

export function cacheVolume(name: string): VolumeSummary {
  return { name, labels: { 'dev.envctl.managed': '1', 'dev.envctl.cache': name.replace('envctl-cache-', '') }, mountpoint: '' }
}

type Labels = Record<string, string | true>

function matches(labels: Record<string, string>, filter: Labels = {}): boolean {
  return Object.entries(filter).every(([k, v]) => (v === true ? k in labels : labels[k] === v))
}

export class FakeEngine {
  readonly host = 'unix:///fake.sock'
  readonly local = true
  readonly calls: string[] = []
  /** Volumes whose removal the engine refuses, as a raw (non-envctl) error. */
  readonly refuse = new Set<string>()
  execCodes: (cmd: string[]) => number = () => 0

  constructor(
    public containers: FakeContainer[] = [],
    public images: ImageSummary[] = [],
    public volumes: VolumeSummary[] = [],
  ) {}

  get engine(): Engine {
    return this as unknown as Engine
  }

  async listContainers(opts: { labels?: Labels; all?: boolean } = {}): Promise<ContainerSummary[]> {
    return this.containers.filter((c) => matches(c.labels, opts.labels) && (opts.all || c.status === 'running'))
  }

  async inspectContainer(id: string): Promise<ContainerInfo> {
    const c = this.containers.find((x) => x.id === id)!
    return { ...c, running: c.status === 'running', exitCode: 0 }
  }

  async startContainer(id: string): Promise<void> {
    this.calls.push(`start ${id}`)
    this.containers.find((x) => x.id === id)!.status = 'running'
  }

  async stopContainer(id: string): Promise<void> {
    this.calls.push(`stop ${id}`)
    this.containers.find((x) => x.id === id)!.status = 'exited'
  }

  async removeContainer(id: string, opts: { force?: boolean } = {}): Promise<void> {
    this.calls.push(`rm ${id}${opts.force ? ' force' : ''}`)
    this.containers = this.containers.filter((x) => x.id !== id)
  }

  async renameContainer(id: string, name: string): Promise<void> {
    this.calls.push(`rename ${id} ${name}`)
    this.containers.find((x) => x.id === id)!.name = name
  }

  async listImages(opts: { labels?: Labels } = {}): Promise<ImageSummary[]> {
    return this.images.filter((i) => matches(i.labels, opts.labels))
  }

  async removeImage(ref: string): Promise<void> {
    this.calls.push(`rmi ${ref}`)
  }

  async pruneBuildCache(opts: { all?: boolean } = {}): Promise<{ spaceReclaimedBytes: number }> {
    this.calls.push(`builder prune${opts.all ? ' all' : ''}`)
    return { spaceReclaimedBytes: 500 }
  }

  async listVolumes(opts: { labels?: Labels } = {}): Promise<VolumeSummary[]> {
    return this.volumes.filter((v) => matches(v.labels, opts.labels))
  }

  async removeVolume(name: string): Promise<void> {
    if (this.refuse.has(name)) throw new Error(`(HTTP code 409) unexpected - remove ${name}: volume is in use`)
    this.calls.push(`volume rm ${name}`)
  }

  async exec(id: string, opts: ExecOptions): Promise<number> {
    this.calls.push(`exec ${id} ${opts.cmd.join(' ')}${opts.workdir ? ` in ${opts.workdir}` : ''}${opts.user ? ` as ${opts.user}` : ''}`)
    return this.execCodes(opts.cmd)
  }
}
