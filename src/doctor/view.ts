import type { CheckStatus, DoctorReport } from './types.js'

const MARK: Record<CheckStatus, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL' }

/** The report as aligned lines: status, check name, detail, and the fix under anything not ok. */
export function renderDoctorReport(report: DoctorReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length), 0)
  const lines: string[] = []
  for (const check of report.checks) {
    lines.push(`${MARK[check.status]}  ${check.name.padEnd(width)}  ${check.detail}`)
    if (check.fix && check.status !== 'ok') lines.push(`${' '.repeat(width + 8)}fix: ${check.fix}`)
  }
  const problems = report.checks.filter((c) => c.status !== 'ok').length
  lines.push('', report.ok ? `ready${problems ? ` (${problems} warning${problems > 1 ? 's' : ''})` : ''}` : 'not ready: fix the FAIL lines above')
  return lines.join('\n')
}
