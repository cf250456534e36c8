// What doctor checks share: their context and results. Kept apart so checks and the runner do not import each other.
import type { Engine, EngineInfo, EngineVersion } from '../engine/engine.js'
import type { EnvctlError, SourceLocation } from '../errors/envctl-error.js'
import type { ErrorCode } from '../errors/codes.js'
import type { GpuProbe } from '../host/probe.js'
import type { LimitProbe } from './limits-probe.js'
import type { MirrorsSpec, NetworkSpec } from '../stack/types.js'

export type CheckStatus = 'ok' | 'warn' | 'fail'

export interface CheckResult {
  name: string
  status: CheckStatus
  detail: string
  fix?: string
  /** The error code a failing check stands for; the command exits with the first one. */
  code?: ErrorCode
}

export interface DoctorReport {
  checks: CheckResult[]
  ok: boolean
}

export type EngineFacts = { version: EngineVersion; info: EngineInfo } | { error: EnvctlError }

/** What checks may look at. Everything is fetched at most once, however many checks ask. */
export interface DoctorContext {
  engine: Engine
  engineFacts(): Promise<EngineFacts>
  gpus(): Promise<GpuProbe>
  /** Which of the GPU stacks' limits (memlock, stack) the engine refuses, tried with a throwaway container. */
  refusedLimits(): Promise<LimitProbe>
  /** What the project here plans on this host, for the driver ↔ CUDA check; null without a project here. */
  plannedBuild(): Promise<PlannedBuild | null | { error: EnvctlError }>
  /** Free bytes on the filesystem holding `path` on this machine; undefined when it cannot be read. */
  freeBytes(path: string): Promise<number | undefined>
  /** Mirrors, proxies and CA in effect here (project files over the user config); absent: none to check. */
  settings?(): Promise<SettingsResult>
  /** Timeout of each network probe; default PROBE_TIMEOUT_MS. */
  probeTimeoutMs?: number
}

export interface PlannedBuild {
  stack: string
  gpu: boolean
  /** The CUDA of the planned build; null for a CPU build or a GPU stack without a framework. */
  cuda: string | null
  frameworks: Record<string, string>
  /** The highest CUDA the driver runs, as nvidia-smi says. */
  driverCuda: string | null
}

/** One check, or a family of them (one per configured endpoint, possibly none). */
export type DoctorCheck = (ctx: DoctorContext) => Promise<CheckResult | CheckResult[]>

export interface NetworkSettings {
  mirrors: MirrorsSpec
  network: NetworkSpec
  provenance: Record<string, SourceLocation>
}

export type SettingsResult = NetworkSettings | { error: EnvctlError }
