import type { DoctorCheck } from './types.js'
import { networkCheck } from './network.js'
import { gpuBuildCheck, gpuCheck, limitsCheck, nvidiaRuntimeCheck, withEngine } from './gpu-checks.js'

/** BuildKit builds through the API (`version=2`) arrived with Docker 18.09, API 1.39. */
const BUILDKIT_MIN_API = '1.39'
const LOW_DISK_BYTES = 10 * 1024 ** 3
const GIB = 1024 ** 3

export const engineCheck: DoctorCheck = async (ctx) => {
  const facts = await ctx.engineFacts()
  const from = ctx.engine.source ? `, chosen by ${ctx.engine.source}` : ''
  if ('error' in facts) return { name: 'engine', status: 'fail', detail: `${facts.error.message}${from ? ` (engine${from.slice(1)})` : ''}`, fix: facts.error.hint, code: facts.error.code }
  const { version: v } = facts
  return { name: 'engine', status: 'ok', detail: `Docker ${v.version} (API ${v.apiVersion}, ${v.os}/${v.arch}) at ${ctx.engine.host}${from}` }
}

export const buildkitCheck: DoctorCheck = (ctx) =>
  withEngine(ctx, 'buildkit', ({ version }) => {
    if (compareApi(version.apiVersion, BUILDKIT_MIN_API) >= 0) {
      return { name: 'buildkit', status: 'ok', detail: `BuildKit builds available (API ${version.apiVersion} ≥ ${BUILDKIT_MIN_API})` }
    }
    return {
      name: 'buildkit',
      status: 'fail',
      detail: `Docker ${version.version} (API ${version.apiVersion}) predates BuildKit builds through the API (needs API ${BUILDKIT_MIN_API}, Docker 18.09)`,
      fix: 'upgrade the Docker engine',
      code: 'BUILD_FAILED',
    }
  })

export const diskCheck: DoctorCheck = (ctx) =>
  withEngine(ctx, 'disk', async ({ info }) => {
    const path = info.dockerRootDir
    if (!ctx.engine.local) return { name: 'disk', status: 'ok', detail: `not checked: the engine's data root (${path}) is on another machine` }
    const free = await ctx.freeBytes(path)
    if (free === undefined) return { name: 'disk', status: 'warn', detail: `cannot read the free space at ${path}`, fix: `check it with: df -h ${path}` }
    const detail = `${(free / GIB).toFixed(1)} GiB free at ${path}`
    if (free >= LOW_DISK_BYTES) return { name: 'disk', status: 'ok', detail }
    return { name: 'disk', status: 'warn', detail: `only ${detail}; GPU images need 10+ GiB`, fix: 'free space with: envctl prune (or docker system prune)' }
  })

export const DEFAULT_CHECKS: DoctorCheck[] = [engineCheck, buildkitCheck, nvidiaRuntimeCheck, gpuCheck, limitsCheck, gpuBuildCheck, diskCheck, networkCheck]

export function compareApi(a: string, b: string): number {
  const [a1 = 0, a2 = 0] = a.split('.').map(Number)
  const [b1 = 0, b2 = 0] = b.split('.').map(Number)
  return a1 - b1 || a2 - b2
}
