/**
 * A simulated NVIDIA host on the real engine (engine-recipe.md §9.2): a side engine (side-engine.ts: its own
 * data root, exec root, socket, containerd namespace, cgroup parent and bridge, swept if a run is killed) with
 * a stand-in `nvidia-container-runtime-hook` on dockerd's PATH (so Debian's dockerd 20.10 registers its nvidia
 * device driver) and `{"runtimes": {"nvidia": {"path": "runc"}}}` in its config; plus a stand-in `nvidia-smi`
 * answering from the real H100 capture for envctl's host probe. Up to the driver, it is a GPU host.
 * Its socket is root:docker 0660, so the unprivileged test user reaches it. Needs root.
 */
import { chmod, copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type Docker from 'dockerode'
import { repoRoot } from './cli.js'
import { SideEngine } from './side-engine.js'

const STANDINS = join(repoRoot, 'test/integration/support/gpu-host')

export interface SimulatedHost {
  /** GPUs the stand-in nvidia-smi lists (copies of the captured H100; default 1). */
  gpus?: number
  /** MIG device UUIDs it lists under GPU 0 in `nvidia-smi -L`. */
  mig?: string[]
}

export interface GpuEngine {
  readonly dockerHost: string
  readonly docker: Docker
  /** Environment for runCli: this engine, and the stand-in nvidia-smi first on PATH. */
  env(host?: SimulatedHost): Record<string, string>
  /** Each prestart call of the stand-in hook: its arguments and the id of the container it ran for. */
  hookCalls(): Promise<Array<{ args: string; id: string }>>
  /** From now on the hook fails with this message on stderr, as the real one does with a broken driver; null heals it. */
  failHook(message: string | null): Promise<void>
  /** Stops dockerd and removes everything the engine made; never throws. */
  stop(): Promise<void>
}

/** The stand-in nvidia-smi alone, first on PATH, for running envctl against another engine (the CI engine). */
export function simulatedHostEnv(hostBin: string, host: SimulatedHost = {}): Record<string, string> {
  return {
    PATH: `${hostBin}:${process.env.PATH ?? '/usr/bin:/bin'}`,
    ENVCTL_FAKE_GPUS: String(host.gpus ?? 1),
    ENVCTL_FAKE_MIG: (host.mig ?? []).join(','),
  }
}

/** hook-bin/ (for dockerd's PATH; the hook logs to ../hook.log) and host-bin/ (for envctl's) in the engine's folder. */
async function standIns(dir: string): Promise<void> {
  await mkdir(join(dir, 'hook-bin'), { mode: 0o755 })
  await mkdir(join(dir, 'host-bin'), { mode: 0o755 })
  await copyFile(join(STANDINS, 'nvidia-container-runtime-hook'), join(dir, 'hook-bin/nvidia-container-runtime-hook'))
  await copyFile(join(STANDINS, 'nvidia-smi'), join(dir, 'host-bin/nvidia-smi'))
  await copyFile(join(repoRoot, 'test/fixtures/gpu/h100-nvidia-smi.txt'), join(dir, 'host-bin/h100-nvidia-smi.txt'))
  for (const f of ['hook-bin/nvidia-container-runtime-hook', 'host-bin/nvidia-smi']) await chmod(join(dir, f), 0o755)
}

export async function startGpuEngine(): Promise<GpuEngine> {
  const engine = await SideEngine.start({
    daemonConfig: { runtimes: { nvidia: { path: 'runc' } } },
    daemonPath: ['hook-bin'],
    populate: standIns,
  })
  const { dir, dockerHost } = engine
  return {
    dockerHost,
    docker: engine.docker,
    env: (host) => ({ DOCKER_HOST: dockerHost, ...simulatedHostEnv(join(dir, 'host-bin'), host) }),
    hookCalls: async () => {
      const text = await readFile(join(dir, 'hook.log'), 'utf8').catch(() => '')
      return text.split('\n').filter(Boolean).map((line) => ({ args: line.slice(0, line.indexOf(' {')), id: JSON.parse(line.slice(line.indexOf(' {') + 1)).id as string }))
    },
    failHook: async (message) => (message === null ? rm(join(dir, 'hook-fail'), { force: true }) : writeFile(join(dir, 'hook-fail'), `${message}\n`)),
    stop: () => engine.teardown(),
  }
}
