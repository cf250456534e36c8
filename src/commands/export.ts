import { Args, Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import { stackArg } from './stack-arg.js'
import { hostFlags, hostFlagValues } from './host-flags.js'
import { userPaths } from './user-paths.js'
import type { ExportRequest, ExportResult } from '../export/export.js'
import type { Plan } from '../project/plan.js'
import type { EnvctlPaths } from '../config/paths.js'
import { EnvctlError } from '../errors/envctl-error.js'
import { engineEndpointFrom } from './engine-flags.js'
import { maskSecrets } from '../secrets/mask.js'
import { stateDir } from './state-dir.js'

export default class Export extends BaseCommand {
  static override summary = 'Export the environment as a Compose file, a devcontainer.json or Kubernetes manifests.'
  static override description = 'Renders the plan `envctl up` uses (same image tag, user, workspace mount, caches, ports, shm, ulimits, GPUs, env) for another tool; build the image first with `envctl build`. With services ([services.NAME]) Compose gets each as a service with a health-ordered start, devcontainer a Compose file beside devcontainer.json, k8s a StatefulSet and headless Service each. Credentials are never written. See docs/EXPORT.md.'
  static override examples = [
    '<%= config.bin %> export compose -o compose.yaml',
    '<%= config.bin %> export devcontainer -o .devcontainer/devcontainer.json',
    '<%= config.bin %> export k8s pytorch --notebook --image registry.example.com/pytorch@sha256:… -o k8s.yaml',
    '<%= config.bin %> export k8s --registry registry.example.com/team -o k8s.yaml',
  ]
  static override args = {
    kind: Args.string({ required: true, options: ['compose', 'devcontainer', 'k8s'], description: 'What to export.' }),
    stack: stackArg,
  }
  static override flags = {
    ...hostFlags,
    output: Flags.string({ char: 'o', summary: 'Write the export to this path instead of stdout (relative paths in it are relative to its folder).' }),
    workspace: Flags.string({ summary: 'The folder mounted at /workspace (default: the current folder).' }),
    image: Flags.string({ summary: 'k8s: the image reference the cluster pulls, by digest (REGISTRY/NAME@sha256:…).', exclusive: ['registry'] }),
    registry: Flags.string({ summary: 'k8s: push the built image to HOST[:PORT]/PREFIX through the engine and name it by its digest.', exclusive: ['image'] }),
    notebook: Flags.boolean({ allowNo: true, summary: 'k8s: run JupyterLab with a Service for it (default: as the stack says).' }),
    'workspace-size': Flags.string({ summary: 'k8s: size of the workspace volume claim.', default: '20Gi' }),
    'data-size': Flags.string({ summary: "k8s: size of each service's data volume claim.", default: '10Gi' }),
  }

  async run(): Promise<ExportResult> {
    const { args, flags } = await this.parse(Export)
    const [{ readHostFacts }, { plan }, { exportEnvironment }, { realWorkspace }, { secretNotes }] = await Promise.all([import('../host/probe.js'), import('../project/plan.js'), import('../export/export.js'), import('./run-up.js'), import('../export/secret-notes.js')])
    const cwd = process.cwd()
    const host = await readHostFacts(hostFlagValues(flags))
    const paths = userPaths()
    const p = plan({ ref: args.stack, cwd, host, paths })
    const kind = args.kind as ExportResult['kind']
    if (kind !== 'k8s' && (flags.image || flags.registry || flags.notebook !== undefined)) throw new EnvctlError('USAGE', `--image, --registry and --notebook apply to the k8s export only, not ${kind}`)
    const req = { kind, cwd, output: flags.output ?? null, workspace: realWorkspace(flags.workspace ?? cwd), uid: host.uid, gid: host.gid, image: flags.image, notebook: flags.notebook, workspaceSize: flags['workspace-size'], dataSize: flags['data-size'], stateDir: stateDir() }
    const result = flags.registry ? await this.pushed(p, req, flags.registry, paths, flags) : exportEnvironment(p, req)
    for (const w of result.warnings) this.note(`warning: ${w}`)
    for (const n of secretNotes(result)) this.note(n)
    if (result.path) this.note(`wrote ${[...result.companions.map((c) => c.path), result.path].join(' and ')} (image ${result.image}: build it with \`envctl build\`)`)
    else if (result.companions.length && !this.jsonEnabled()) throw new EnvctlError('USAGE', `with services the ${kind} export is ${result.companions.length + 1} files: give -o .devcontainer/devcontainer.json`)
    else if (!this.jsonEnabled()) process.stdout.write(maskSecrets(result.content))
    return result
  }

  private async pushed(p: Plan, req: ExportRequest, registry: string, paths: EnvctlPaths, flags: { 'docker-host'?: string }): Promise<ExportResult> {
    const [{ connectEngine }, { exportPushed }, { withInterrupt }] = await Promise.all([import('../engine/connect.js'), import('../export/publish.js'), import('./step-runner.js')])
    const engine = await connectEngine({ ...engineEndpointFrom(flags), sshAgent: process.env.SSH_AUTH_SOCK })
    const result = await withInterrupt((signal) => exportPushed(p, req, { engine, registry, paths, signal }))
    this.note(`pushed ${result.pushed.tag} (${result.pushed.digest})`)
    return result
  }
}
