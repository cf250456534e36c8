import { Flags } from '@oclif/core'
import { BaseCommand } from './base-command.js'
import { stackArg } from './stack-arg.js'
import { hostFlags, hostFlagValues } from './host-flags.js'
import { userPaths } from './user-paths.js'
import { maskSecrets } from '../secrets/mask.js'

export default class Dockerfile extends BaseCommand {
  static override summary = 'Print the Dockerfile envctl would build for a stack (or write it with -o).'
  static override description = 'The Dockerfile is a pure function of the resolution: the same stack and lock give byte-identical output. envctl never writes it into your repository unless you ask with --output.'
  static override examples = ['<%= config.bin %> dockerfile pytorch', '<%= config.bin %> dockerfile --cpu -o Dockerfile', '<%= config.bin %> dockerfile tensorflow-gpu --gpu-arch sm_90 --driver 580.65.06']
  static override args = { stack: stackArg }
  static override flags = {
    ...hostFlags,
    output: Flags.string({ char: 'o', summary: 'Write the Dockerfile to this path instead of stdout.' }),
  }

  async run(): Promise<{ dockerfile: string; contextFiles: Record<string, string>; path: string | null; warnings: string[] }> {
    const { args, flags } = await this.parse(Dockerfile)
    const { readHostFacts } = await import('../host/probe.js')
    const { plan } = await import('../project/plan.js')
    const { renderPlan } = await import('../environment/up/steps-prepare.js')
    const p = plan({ ref: args.stack, cwd: process.cwd(), host: await readHostFacts(hostFlagValues(flags)), paths: userPaths() })
    // The same Dockerfile and context files (locked requirements, the CA bundle) that envctl build sends.
    const { dockerfile: text, contextFiles: files } = renderPlan(p, null)
    const contextFiles = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v.toString('utf8')]))
    const { buildSecretFiles, SECRETS_CONTEXT_DIR } = await import('../render/secrets.js')
    const secretFiles = buildSecretFiles(p.resolved)
    for (const w of p.resolved.warnings) this.note(`warning: ${w}`)
    if (flags.output) {
      const { writeContext } = await import('../project/write-context.js')
      for (const written of writeContext(flags.output, text, contextFiles, secretFiles)) this.note(`wrote ${written}`)
    } else if (!this.jsonEnabled()) {
      process.stdout.write(maskSecrets(text))
      const files = [...Object.keys(contextFiles), ...(Object.keys(secretFiles).length ? [`${SECRETS_CONTEXT_DIR}/ (credentials, mode 0600)`] : [])]
      if (files.length) this.note(`the Dockerfile mounts ${files.join(', ')} from the build context (written beside it with -o)`)
    }
    return { dockerfile: text, contextFiles, path: flags.output ?? null, warnings: p.resolved.warnings }
  }
}
