// `envctl doctor`: a list of independent checks over one shared context. New checks (registry and index
// mirrors, say) are one more function in DOCTOR_CHECKS, or an extra array passed to runDoctor.
import { statfs } from 'node:fs/promises'
import { connectEngine } from '../engine/connect.js'
import type { Engine } from '../engine/engine.js'
import type { EngineEndpoint } from '../engine/engine-endpoint.js'
import { EnvctlError } from '../errors/envctl-error.js'
import type { ErrorCode } from '../errors/codes.js'
import { probeGpus } from '../host/probe.js'
import { DEFAULT_CHECKS } from './checks.js'
import { probeLimits } from './limits-probe.js'
import { readPlannedBuild } from './planned-build.js'
import type { CheckResult, DoctorCheck, DoctorContext, DoctorReport, EngineFacts, SettingsResult } from './types.js'
import { effectiveSettings } from '../settings/effective-settings.js'
import type { EnvctlPaths } from '../config/paths.js'

export interface DoctorOptions {
  /** The engine endpoint as the command found it (flag, DOCKER_HOST, Docker context). */
  endpoint?: EngineEndpoint
  sshAgent?: string
  checks?: DoctorCheck[]
  /** Where to read the mirrors, proxies and CA in effect: the project here and the user config. */
  settingsFrom?: { cwd: string; paths: EnvctlPaths }
}

export type { CheckResult, CheckStatus, DoctorCheck, DoctorContext, DoctorReport, EngineFacts } from './types.js'

export async function doctor(opts: DoctorOptions = {}): Promise<DoctorReport> {
  const engine = await connectEngine({ ...opts.endpoint, sshAgent: opts.sshAgent })
  const from = opts.settingsFrom
  return runChecks({ ...liveContext(engine, from), ...(from ? { settings: once(async () => readSettings(from)) } : {}) }, opts.checks ?? DEFAULT_CHECKS)
}

/** An invalid stack or user config is reported by the network check, not a crash of the doctor. */
function readSettings(from: { cwd: string; paths: EnvctlPaths }): SettingsResult {
  try {
    return effectiveSettings(from)
  } catch (err) {
    if (err instanceof EnvctlError) return { error: err }
    throw err
  }
}

/** Runs the checks in order; a check that throws is reported as a failure, not a crash of the doctor. */
export async function runChecks(ctx: DoctorContext, checks: DoctorCheck[]): Promise<DoctorReport> {
  const results: CheckResult[] = []
  for (const check of checks) {
    try {
      results.push(...[await check(ctx)].flat())
    } catch (err) {
      const e = err instanceof EnvctlError ? err : undefined
      results.push({ name: check.name || 'check', status: 'fail', detail: (err as Error).message, fix: e?.hint, code: e?.code ?? 'UNEXPECTED' })
    }
  }
  return { checks: results, ok: results.every((r) => r.status !== 'fail') }
}

/** The code of the first failing check, which is the command's exit code; undefined when nothing failed. */
export function failureCode(report: DoctorReport): ErrorCode | undefined {
  const failed = report.checks.find((c) => c.status === 'fail')
  return failed ? (failed.code ?? 'UNEXPECTED') : undefined
}

export function liveContext(engine: Engine, from?: { cwd: string; paths: EnvctlPaths }): DoctorContext {
  const gpus = once(probeGpus)
  return {
    engine,
    engineFacts: once(() => readEngineFacts(engine)),
    gpus,
    refusedLimits: once(() => probeLimits(engine)),
    plannedBuild: once(async () => (from ? readPlannedBuild(from, await gpus()) : null)),
    freeBytes: async (path) => {
      try {
        const s = await statfs(path)
        return s.bavail * s.bsize
      } catch {
        return undefined
      }
    },
  }
}

async function readEngineFacts(engine: Engine): Promise<EngineFacts> {
  try {
    await engine.ping()
    const [version, info] = await Promise.all([engine.version(), engine.info()])
    return { version, info }
  } catch (err) {
    if (err instanceof EnvctlError) return { error: err }
    throw err
  }
}

function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let value: Promise<T> | undefined
  return () => (value ??= fn())
}
