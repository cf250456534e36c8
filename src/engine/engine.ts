import type { Duplex } from 'node:stream'
// The one narrow port between envctl and a container engine. Types only: the dockerode implementation
// lives in dockerode-engine.ts, and use cases depend on this role, never on dockerode.
import type { Readable, Writable } from 'node:stream'

/** One build step (a BuildKit vertex) changed state. `id` is the vertex digest. */
export interface StepEvent {
  kind: 'step'
  id: string
  /** As BuildKit names it, e.g. "[stage-0 2/3] RUN python3 -m venv /opt/venv". */
  name: string
  cached: boolean
  done: boolean
  error?: string
}

/** One line of a step's output (stdout or stderr), decoded as UTF-8, without its line break. */
export interface LogEvent {
  kind: 'log'
  stepId: string
  text: string
}

/** Progress of one layer (or other item) of an image pull. */
export interface PullEvent {
  kind: 'pull'
  id: string
  status: string
  current?: number
  total?: number
}

/** A notice that is neither a step nor a log line (classic-builder output, final image id). */
export interface InfoEvent {
  kind: 'info'
  text: string
}

export type ProgressEvent = StepEvent | LogEvent | PullEvent | InfoEvent
export type OnProgress = (event: ProgressEvent) => void

/** Label selector: a value matches `key=value`; `true` matches any container that has the key. */
export type LabelFilter = Record<string, string | true>

export interface EngineVersion {
  version: string
  apiVersion: string
  minApiVersion?: string
  os: string
  arch: string
  kernelVersion?: string
}

export interface EngineInfo {
  serverVersion: string
  /** Names of the OCI runtimes the daemon knows, e.g. ["io.containerd.runc.v2", "runc", "nvidia"]. */
  runtimes: string[]
  defaultRuntime: string
  /** The daemon's data root (images, volumes, build cache), as a path on the engine's machine. */
  dockerRootDir: string
  operatingSystem: string
  storageDriver: string
  cpus: number
  memoryBytes: number
  registryMirrors: string[]
}

export interface ImageInfo {
  id: string
  labels: Record<string, string>
  repoTags: string[]
  repoDigests: string[]
  /** ISO 8601 creation time as the engine reports it. */
  created: string
}

export interface ImageSummary {
  id: string
  repoTags: string[]
  labels: Record<string, string>
  /** Unix seconds. */
  created: number
  sizeBytes: number
}

/** Credentials for one registry, as `docker login` stores them. */
export interface RegistryAuth {
  serveraddress: string
  username?: string
  password?: string
  identitytoken?: string
}

export interface PullOptions {
  auth?: RegistryAuth
  onProgress?: OnProgress
  signal?: AbortSignal
}

export interface PushOptions {
  auth?: RegistryAuth
  signal?: AbortSignal
}

export interface BuildOptions {
  /** The Dockerfile's text. It travels inside the in-memory build context and is never written to disk. */
  dockerfile: string
  /** Extra files for COPY/ADD, keyed by their path inside the context. */
  contextFiles?: Record<string, Buffer | string>
  tag: string
  labels?: Record<string, string>
  buildArgs?: Record<string, string>
  /** "host" lets RUN steps reach servers on the host's 127.0.0.1 (local package indexes). */
  networkMode?: string
  noCache?: boolean
  /** Always try to pull a newer version of the base image. */
  pull?: boolean
  onProgress?: OnProgress
  /** Aborting cancels the build; the tag is left as it was before the build. */
  signal?: AbortSignal
}

export interface BuildResult {
  imageId: string
}

export interface MountSpec {
  type: 'bind' | 'volume'
  /** Host path for a bind mount, volume name for a volume. */
  source: string
  target: string
  readOnly?: boolean
}

export interface PortSpec {
  containerPort: number
  protocol?: 'tcp' | 'udp'
  /** Defaults to 127.0.0.1: envctl never publishes on all interfaces unless asked. */
  hostIp?: string
  /** Omitted or 0: the engine picks a free port. */
  hostPort?: number
}

export interface GpuRequest {
  /** "all", or how many GPUs. Ignored when deviceIds is given. */
  count: 'all' | number
  deviceIds?: string[]
  /** Defaults to [["gpu"]]. */
  capabilities?: string[][]
  /** Device driver name; "" lets the engine choose (what `docker run --gpus` sends). */
  driver?: string
}

export interface ContainerSpec {
  name?: string
  image: string
  cmd?: string[]
  entrypoint?: string[]
  env?: Record<string, string>
  labels?: Record<string, string>
  /** "uid:gid" or a user name. */
  user?: string
  workdir?: string
  hostname?: string
  tty?: boolean
  openStdin?: boolean
  mounts?: MountSpec[]
  ports?: PortSpec[]
  gpus?: GpuRequest
  shmSizeBytes?: number
  /** Memory limit in bytes. */
  memoryBytes?: number
  /** e.g. memlock -1 (unlimited) and stack 67108864 for GPU stacks, as NVIDIA recommends; see LimitRefusedError. */
  ulimits?: Array<{ name: string; soft: number; hard: number }>
  networkMode?: string
  /** Names other containers on networkMode's network reach this one by (a service's name). */
  networkAliases?: string[]
  /** Run an init process (tini) as PID 1 so signals and zombies are handled. */
  init?: boolean
  autoRemove?: boolean
}

export type ContainerStatus = 'created' | 'running' | 'paused' | 'restarting' | 'removing' | 'exited' | 'dead'

export interface PublishedPort {
  containerPort: number
  protocol: string
  hostIp: string
  hostPort: number
}

export interface ContainerInfo {
  id: string
  name: string
  image: string
  imageId: string
  labels: Record<string, string>
  status: ContainerStatus
  running: boolean
  exitCode: number
  /** The engine's own error text when the container failed to start. */
  error?: string
  startedAt?: string
  ports: PublishedPort[]
  mounts: MountSpec[]
  /** The GPUs the engine was asked to give it (its device requests); absent when none. */
  gpus?: GpuRequest
  /** The image's own HEALTHCHECK as the engine runs it; absent when the image has none. */
  health?: 'starting' | 'healthy' | 'unhealthy'
}

export interface ContainerSummary {
  id: string
  name: string
  image: string
  imageId: string
  labels: Record<string, string>
  status: ContainerStatus
  /** Human status text, e.g. "Up 3 minutes". */
  statusText: string
  /** Unix seconds. */
  created: number
  ports: PublishedPort[]
}

export interface VolumeSummary {
  name: string
  labels: Record<string, string>
  mountpoint: string
  createdAt?: string
}

export interface NetworkSummary {
  id: string
  name: string
  labels: Record<string, string>
}

/** A file to copy into a container. Parent directories are created with the same owner. */
export interface FileEntry {
  /** Relative to the destination directory; "/" separated. */
  path: string
  content: Buffer | string
  /** Defaults to 0o644. */
  mode?: number
  uid?: number
  gid?: number
  /** Unix seconds; the time of the copy by default. */
  mtime?: number
  /** A symbolic link to this target instead of a file (content is ignored). */
  link?: string
}

export interface ExecOptions {
  cmd: string[]
  user?: string
  workdir?: string
  env?: Record<string, string>
  tty?: boolean
  /** When given, piped to the process's stdin; its end closes stdin. */
  stdin?: Readable
  /** Where the process's output goes; omitted streams are discarded. With tty, everything goes to stdout. */
  stdout?: Writable
  stderr?: Writable
}

export interface LogsOptions {
  follow?: boolean
  /** Number of lines from the end, or "all". */
  tail?: number | 'all'
  stdout: Writable
  stderr: Writable
  signal?: AbortSignal
}

/**
 * Every method throws EnvctlError for what a user can act on: ENGINE_UNREACHABLE (socket missing, refused,
 * permission, timeout), NOT_FOUND, NAME_CONFLICT, PORT_IN_USE, GPU_UNAVAILABLE, START_FAILED, PULL_FAILED,
 * BUILD_FAILED (a BuildFailedError with the failing step and its last log lines), INTERRUPTED.
 * Removing something that is already gone is not an error.
 */
export interface EngineTunnel {
  /** A channel to 127.0.0.1:port on the engine's host. */
  open(port: number): Promise<Duplex>
  /** Ends the connection, cutting what is still open on it (a forwarder that stops must not linger). */
  end(): void
}

export interface Engine {
  /** The endpoint as the user would write it, e.g. "unix:///var/run/docker.sock". */
  readonly host: string
  /** True when the engine runs on this machine (a unix socket), so its paths are our paths. */
  readonly local: boolean
  /** Where the choice of this engine came from ("env DOCKER_HOST", "context \"gpu\" (env DOCKER_CONTEXT)"…), for doctor and ls. */
  readonly source?: string
  /** An ssh:// engine's channels to its host, over its one SSH connection; absent on other engines. */
  readonly tunnel?: EngineTunnel

  ping(): Promise<void>
  version(): Promise<EngineVersion>
  info(): Promise<EngineInfo>

  imageExists(ref: string): Promise<boolean>
  inspectImage(ref: string): Promise<ImageInfo>
  pullImage(ref: string, opts?: PullOptions): Promise<void>
  buildImage(opts: BuildOptions): Promise<BuildResult>
  listImages(opts?: { labels?: LabelFilter }): Promise<ImageSummary[]>
  removeImage(ref: string, opts?: { force?: boolean }): Promise<void>
  /** Points `target` ("repo:tag") at the image `source` refers to. */
  tagImage(source: string, target: string): Promise<void>
  /** Pushes "registry/repo:tag" (tagged beforehand) and resolves with the manifest digest the registry holds; PUSH_FAILED otherwise. */
  pushImage(ref: string, opts?: PushOptions): Promise<{ digest: string }>
  pruneBuildCache(opts?: { all?: boolean }): Promise<{ spaceReclaimedBytes: number }>

  /** Returns the new container's id. A GPU request is only checked by the engine at start. */
  createContainer(spec: ContainerSpec): Promise<string>
  /** Starts it; if it fails and the container never ran, the container is removed before the error is thrown. */
  startContainer(id: string): Promise<void>
  stopContainer(id: string, opts?: { timeoutSeconds?: number }): Promise<void>
  removeContainer(id: string, opts?: { force?: boolean; volumes?: boolean }): Promise<void>
  /** Gives the container a new name; NAME_CONFLICT when another container holds it. */
  renameContainer(id: string, name: string): Promise<void>
  inspectContainer(id: string): Promise<ContainerInfo>
  listContainers(opts?: { labels?: LabelFilter; all?: boolean }): Promise<ContainerSummary[]>

  putFiles(containerId: string, destDir: string, files: FileEntry[]): Promise<void>
  readFile(containerId: string, path: string): Promise<Buffer>
  /** Runs a command in a running container, streams its output, and resolves with its exit code. */
  exec(containerId: string, opts: ExecOptions): Promise<number>
  /** Writes the container's output to the given streams; with follow, until the container stops or signal aborts. */
  logs(containerId: string, opts: LogsOptions): Promise<void>

  /** A bridge network; returns its id. NAME_CONFLICT when one of that name exists. */
  createNetwork(opts: { name: string; labels?: Record<string, string> }): Promise<string>
  listNetworks(opts?: { labels?: LabelFilter }): Promise<NetworkSummary[]>
  /** Removing a network that is gone is not an error. */
  removeNetwork(name: string): Promise<void>

  createVolume(opts: { name?: string; labels?: Record<string, string> }): Promise<string>
  listVolumes(opts?: { labels?: LabelFilter }): Promise<VolumeSummary[]>
  removeVolume(name: string, opts?: { force?: boolean }): Promise<void>
}
