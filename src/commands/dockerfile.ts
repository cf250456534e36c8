import { Args, Flags } from '@oclif/core'
import { BaseCommand } from '../base-command.js'
import { hostFlags, hostFlagValues } from './host-flags.js'

export default class Dockerfile extends BaseCommand {
  static override summary = 'Print the Dockerfile envctl would build for a stack (or write it with -o).'
  static override description = 'The Dockerfile is a pure function of the resolution: the same stack and lock give byte-identical output. envctl never writes it into your repository unless you ask with --output.'
  static override examples = ['<%= config.bin %> dockerfile pytorch', '<%= config.bin %> dockerfile --cpu -o Dockerfile', '<%= config.bin %> dockerfile tensorflow-gpu --gpu-arch sm_90 --driver 580.65.06']
  static override args = { stack: Args.string({ ignoreStdin: true, description: 'Built-in stack name, stack file, or folder with envctl.toml (default: ./envctl.toml).' }) }
  static override flags = {
    ...hostFlags,
    output: Flags.string({ char: 'o', summary: 'Write the Dockerfile to this path instead of stdout.' }),
  }

  async run(): Promise<{ dockerfile: string; path: string | null; warnings: string[] }> {
    const { args, flags } = await this.parse(Dockerfile)
    const { readHostFacts } = await import('../host/probe.js')
    const { plan } = await import('../services/plan.js')
    const { renderDockerfile } = await import('../render/render-dockerfile.js')
    const p = plan({ ref: args.stack, cwd: process.cwd(), host: await readHostFacts(hostFlagValues(flags)) })
    const text = renderDockerfile(p.resolved)
    for (const w of p.resolved.warnings) this.note(`warning: ${w}`)
    if (flags.output) {
      const { writeFileSync } = await import('node:fs')
      writeFileSync(flags.output, text)
      this.note(`wrote ${flags.output}`)
    } else if (!this.jsonEnabled()) process.stdout.write(text)
    return { dockerfile: text, path: flags.output ?? null, warnings: p.resolved.warnings }
  }
}
