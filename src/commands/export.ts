import { Args, Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import { stackArg } from './stack-arg.js'
import { hostFlags, hostFlagValues } from './host-flags.js'
import { userPaths } from './user-paths.js'
import type { ExportResult } from '../export/export.js'
import { maskSecrets } from '../secrets/mask.js'

export default class Export extends BaseCommand {
  static override summary = 'Export the environment as a Compose file, a devcontainer.json or Kubernetes manifests.'
  static override description = 'Renders the plan `envctl up` uses (same image tag, user, workspace mount, caches, ports, shm, ulimits, GPUs, env) for another tool; build the image first with `envctl build`. Credentials are never written. Services are not exported yet. See docs/EXPORT.md.'
  static override examples = [
    '<%= config.bin %> export compose -o compose.yaml',
    '<%= config.bin %> export devcontainer -o .devcontainer/devcontainer.json',
    '<%= config.bin %> export k8s pytorch --notebook --image registry.example.com/pytorch@sha256:… -o k8s.yaml',
  ]
  static override args = {
    kind: Args.string({ required: true, options: ['compose', 'devcontainer', 'k8s'], description: 'What to export.' }),
    stack: stackArg,
  }
  static override flags = {
    ...hostFlags,
    output: Flags.string({ char: 'o', summary: 'Write the export to this path instead of stdout (relative paths in it are relative to its folder).' }),
    workspace: Flags.string({ summary: 'The folder mounted at /workspace (default: the current folder).' }),
    image: Flags.string({ summary: 'k8s: the image reference the cluster pulls, by digest (REGISTRY/NAME@sha256:…).' }),
    notebook: Flags.boolean({ allowNo: true, summary: 'k8s: run JupyterLab with a Service for it (default: as the stack says).' }),
    'workspace-size': Flags.string({ summary: 'k8s: size of the workspace volume claim.', default: '20Gi' }),
  }

  async run(): Promise<ExportResult> {
    const { args, flags } = await this.parse(Export)
    const [{ readHostFacts }, { plan }, { exportEnvironment }, { realWorkspace }] = await Promise.all([import('../host/probe.js'), import('../project/plan.js'), import('../export/export.js'), import('./run-up.js')])
    const cwd = process.cwd()
    const host = await readHostFacts(hostFlagValues(flags))
    const p = plan({ ref: args.stack, cwd, host, paths: userPaths() })
    const kind = args.kind as ExportResult['kind']
    const result = exportEnvironment(p, { kind, cwd, output: flags.output ?? null, workspace: realWorkspace(flags.workspace ?? cwd), uid: host.uid, gid: host.gid, image: flags.image, notebook: flags.notebook, workspaceSize: flags['workspace-size'] })
    for (const w of result.warnings) this.note(`warning: ${w}`)
    if (kind !== 'k8s' && (flags.image || flags.notebook !== undefined)) this.note('note: --image and --notebook apply to the k8s export only')
    if (result.path) this.note(`wrote ${result.path} (image ${result.image}: build it with \`envctl build\`)`)
    else if (!this.jsonEnabled()) process.stdout.write(maskSecrets(result.content))
    return result
  }
}
