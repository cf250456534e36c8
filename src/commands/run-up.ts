import { realpathSync } from 'node:fs'
import { resolve } from 'node:path'
import { EnvctlError } from '../errors/envctl-error.js'
import type { BaseCommand } from './base-command.js'
import type { UpInput, UpResult } from '../environment/up/up.js'
import { hostFlagValues } from './host-flags.js'
import { dockerConfigDir, engineEndpointFrom } from './engine-flags.js'
import { userPaths } from './user-paths.js'
import { lockDir, stateDir } from './state-dir.js'
import { parseDockerHost } from '../engine/docker-host.js'

export interface UpFlags {
  'gpu-arch'?: string
  driver?: string
  cpu?: boolean
  'docker-host'?: string
  gpus?: string
  'no-cache'?: boolean
  pull?: boolean
  frozen?: boolean
  'allow-exposure'?: boolean
}

/** The workspace is part of the environment's identity: its canonical real path, so links and `..` cannot split it. */
export function realWorkspace(path: string): string {
  try {
    return realpathSync(resolve(path))
  } catch (err) {
    throw new EnvctlError('NOT_FOUND', `the workspace ${path} does not exist (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { hint: 'create the folder, or point --workspace at an existing one' })
  }
}

/**
 * The edge shared by `up`, `build` and `notebook`: reads the host, the engine endpoint, Docker credentials
 * and user config paths, runs the up pipeline with progress and Ctrl-C handling, and reports warnings.
 */
export async function runUp(cmd: BaseCommand & { jsonEnabled(): boolean }, stack: string | undefined, flags: UpFlags, extra: Partial<UpInput>): Promise<UpResult> {
  const [{ readHostFacts, probeMigDevices }, { up }, { stepRunner, withInterrupt }] = await Promise.all([import('../host/probe.js'), import('../environment/up/up.js'), import('./step-runner.js')])
  const cwd = process.cwd()
  const probed = await readHostFacts(hostFlagValues(flags))
  // MIG devices cost one more nvidia-smi call: read only when one is asked for, so the request can be checked.
  const host = flags.gpus?.includes('MIG-') && probed.gpuSource === 'nvidia-smi' ? { ...probed, migDevices: await probeMigDevices() } : probed
  const input: UpInput = {
    ref: stack,
    cwd,
    lockDir: lockDir(),
    stateDir: stateDir(),
    host,
    engine: engineEndpointFrom(flags, stack),
    sshAgent: process.env.SSH_AUTH_SOCK,
    dockerConfigDir: dockerConfigDir(),
    paths: userPaths(),
    gpus: flags.gpus,
    noCache: flags['no-cache'],
    pull: flags.pull,
    frozen: flags.frozen,
    allowExposure: flags['allow-exposure'],
    ...extra,
    workspace: realWorkspace(extra.workspace ?? cwd),
  }
  const done = await withInterrupt((signal) => up({ ...input, signal }, stepRunner(cmd.jsonEnabled())))
  const result = await tunnelled(done, input.engine?.host, cwd)
  for (const w of result.warnings) cmd.note(`warning: ${w}`)
  for (const n of result.notes) cmd.note(n)
  return result
}

/** On an ssh:// engine, ports and the notebook come to 127.0.0.1 here through a background tunnel (tunnel-spawn.ts). */
async function tunnelled(r: UpResult, host: string | undefined, cwd: string): Promise<UpResult> {
  if (!host || !r.containerId || (r.ports.length === 0 && !r.notebook) || parseDockerHost(host).options.protocol !== 'ssh') return r
  const { ensureTunnel, withTunnel } = await import('./tunnel-spawn.js')
  const t = await ensureTunnel({ name: r.name, containerId: r.containerId, dockerHost: host, stateDir: stateDir(), entry: process.argv[1]!, cwd })
  return t.state ? withTunnel(r, t.state, host) : { ...r, warnings: [...r.warnings, t.warning!] }
}
