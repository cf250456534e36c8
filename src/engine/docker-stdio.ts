import { PassThrough, Readable, Writable } from 'node:stream'
import { setTimeout as delay } from 'node:timers/promises'
import type Dockerode from 'dockerode'
import type { ExecOptions, LogsOptions } from './engine.js'

/** Runs a command in a running container with its stdio attached, and returns its exit code. */
export async function runExec(docker: Dockerode, containerId: string, opts: ExecOptions): Promise<number> {
  const exec = await docker.getContainer(containerId).exec({
    Cmd: opts.cmd,
    User: opts.user,
    WorkingDir: opts.workdir,
    Env: opts.env ? Object.entries(opts.env).map(([k, v]) => `${k}=${v}`) : undefined,
    Tty: opts.tty ?? false,
    AttachStdin: Boolean(opts.stdin),
    AttachStdout: true,
    AttachStderr: true,
  })
  const stream = await exec.start({ hijack: true, stdin: Boolean(opts.stdin), Tty: opts.tty ?? false })
  attachOutput(docker, stream, Boolean(opts.tty), opts.stdout, opts.stderr)
  if (opts.stdin) opts.stdin.pipe(stream)
  try {
    await ended(stream)
  } finally {
    opts.stdin?.unpipe(stream)
  }
  return exitCodeOf(exec)
}

/** The exit code is set a moment after the output stream closes; wait briefly for it. */
async function exitCodeOf(exec: Dockerode.Exec): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const info = await exec.inspect()
    if (!info.Running && info.ExitCode !== null) return info.ExitCode
    await delay(20)
  }
  return -1
}

/** Copies a container's output to the given streams; with follow, until it stops or the signal aborts. */
export async function copyLogs(docker: Dockerode, containerId: string, opts: LogsOptions): Promise<void> {
  const container = docker.getContainer(containerId)
  const tty = (await container.inspect()).Config.Tty
  const common = { stdout: true, stderr: true, ...(typeof opts.tail === 'number' ? { tail: opts.tail } : {}) }
  const output: NodeJS.ReadableStream = opts.follow
    ? await container.logs({ ...common, follow: true, abortSignal: opts.signal } as Dockerode.ContainerLogsOptions & { follow: true })
    : Readable.from([await container.logs({ ...common, follow: false })])
  attachOutput(docker, output, tty, opts.stdout, opts.stderr)
  await ended(output).catch((err: unknown) => {
    if (!opts.signal?.aborted) throw err
  })
}

/** Without a TTY the engine multiplexes stdout and stderr into one stream with 8-byte frame headers. */
function attachOutput(docker: Dockerode, stream: NodeJS.ReadableStream, tty: boolean, stdout?: Writable, stderr?: Writable): void {
  const out = stdout ?? discard()
  if (tty) stream.pipe(out, { end: false })
  else docker.modem.demuxStream(stream, out, stderr ?? discard())
}

function discard(): Writable {
  const sink = new PassThrough()
  sink.resume()
  return sink
}

function ended(stream: NodeJS.ReadableStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('end', () => resolve())
    stream.once('close', () => resolve())
    stream.once('error', reject)
  })
}
