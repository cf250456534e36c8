import { Flags } from '@oclif/core'
import { resolve } from 'node:path'
import { BaseCommand } from './base-command.js'
import { stackArg } from './stack-arg.js'
import { hostFlags } from './host-flags.js'
import { nameFlag } from './engine-flags.js'
import { notebookFlags } from './notebook-flags.js'
import { stateDir } from './state-dir.js'
import type { UpResult } from '../environment/up/up.js'

export default class Up extends BaseCommand {
  static override summary = 'Build (if needed) and start the dev environment; a second run is a no-op.'
  static override description = 'Resolves the stack, builds the image through BuildKit (tagged by content hash: nothing is built when it exists), and starts a container with the workspace at /workspace, running as your uid:gid, GPUs when the host has them, and ports on 127.0.0.1. With --notebook (Python stacks) JupyterLab is the container\'s main process, published on 127.0.0.1 only and protected by a new random token; up waits until it answers and prints its URL (envctl url prints it again).'
  static override examples = ['<%= config.bin %> up', '<%= config.bin %> up pytorch', '<%= config.bin %> up --gpus all', '<%= config.bin %> up --gpus device=1,3', '<%= config.bin %> up --cpu --workspace ~/src/project', '<%= config.bin %> up pytorch --notebook --port 8890', '<%= config.bin %> up --json']
  static override args = { stack: stackArg }
  static override flags = {
    ...hostFlags,
    workspace: Flags.string({ char: 'w', summary: 'Folder mounted at /workspace (default: the current folder).' }),
    gpus: Flags.string({ summary: 'GPUs to attach: auto, all, none, a count (2, count=2), or devices (device=0, 1,3, GPU-<uuid>, MIG-<uuid>); see docs/GPU.md.', default: 'auto' }),
    name: nameFlag,
    'no-cache': Flags.boolean({ summary: 'Rebuild every layer.' }),
    pull: Flags.boolean({ summary: 'Pull the base image again before building.' }),
    'allow-exposure': Flags.boolean({ summary: 'Let a stack file from git or outside the project set run.bind beyond 127.0.0.1 or network.build_network = "host".' }),
    frozen: Flags.boolean({ summary: 'Fail if envctl.lock is missing or does not match the stack (for CI).' }),
    ...notebookFlags,
  }

  async run(): Promise<UpResult> {
    const { args, flags } = await this.parse(Up)
    const { runUp } = await import('./run-up.js')
    const workspace = resolve(process.cwd(), flags.workspace ?? '.')
    const result = await runUp(this, args.stack, flags, { workspace, name: flags.name, notebook: { enabled: flags.notebook, port: flags.port, stateDir: stateDir() } })
    if (!this.jsonEnabled()) this.log(summary(result))
    return result
  }
}

function summary(r: UpResult): string {
  const lines = [`${r.name} is ${r.action === 'running' ? 'already running' : 'ready'}`, `  container  ${r.container}`, `  image      ${r.image}${r.built ? ' (built)' : ' (cached)'}`]
  for (const m of r.mounts) lines.push(`  mount      ${m.source} → ${m.target}`)
  lines.push(`  gpus       ${r.gpus}`)
  for (const p of r.ports) lines.push(`  port       ${p.host} → ${p.container}`)
  for (const s of r.services) lines.push(`  service    ${s.name} (${s.image}, ${s.action}, healthy)`)
  lines.push(`  shell      ${r.shell}`)
  if (r.notebook) lines.push(`  notebook   ${r.notebook.url}`)
  return lines.join('\n')
}
