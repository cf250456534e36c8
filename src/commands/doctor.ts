import { BaseCommand } from './base-command.js'
import { EXIT_CODES } from '../errors/codes.js'
import { userPaths } from './user-paths.js'
import { engineEndpointFrom } from './engine-flags.js'
import type { DoctorReport } from '../doctor/doctor.js'

export default class Doctor extends BaseCommand {
  static override summary = 'Check that this machine can build and run envctl environments.'
  static override description =
    'Checks the Docker engine (reachable, version, BuildKit), the NVIDIA runtime, the GPUs nvidia-smi reports, the limits GPU stacks ask for (tried with a throwaway container that never runs), the CUDA of the build the project here plans against the driver, the free disk space at the engine\'s data root, and each configured mirror, proxy and CA bundle (from envctl.toml here and the user config). Exits non-zero with the code of the first failing check.'
  static override examples = [
    '<%= config.bin %> doctor',
    '<%= config.bin %> doctor --json',
    '<%= config.bin %> doctor --docker-host ssh://me@gpu-box',
  ]

  async run(): Promise<DoctorReport> {
    const { flags } = await this.parse(Doctor)
    const { doctor, failureCode } = await import('../doctor/doctor.js')
    const { renderDoctorReport } = await import('../doctor/view.js')
    const report = await doctor({ endpoint: engineEndpointFrom(flags), sshAgent: process.env.SSH_AUTH_SOCK, settingsFrom: { cwd: process.cwd(), paths: userPaths() } })
    if (!this.jsonEnabled()) this.log(renderDoctorReport(report))
    const failed = failureCode(report)
    // The report is the result either way; the exit code says whether the machine is ready.
    if (failed) process.exitCode = EXIT_CODES[failed]
    return report
  }
}
