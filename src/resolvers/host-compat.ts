import type { CudaMatrix } from '../matrix/types.js'
import type { HostFacts } from '../host/types.js'
import { compareLoose, sameMinor } from './version-range.js'
import type { Candidate } from './frameworks/types.js'

export interface Verdict {
  ok: boolean
  /** Set when ok but worth saying (minor-version compatibility, PTX JIT, unknown arch list). */
  warning?: string
  /** Set when not ok: one sentence why. */
  reason?: string
}

const OK: Verdict = { ok: true }

function cmpDriver(a: string, b: string): number {
  const pa = a.split('.').map(Number)
  const pb = b.split('.').map(Number)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d) return Math.sign(d)
  }
  return 0
}

/** The lowest driver that runs a CUDA minor natively: the minimum over that minor's releases whose minimum the data knows. */
export function toolkitMinDriver(cuda: CudaMatrix, version: string): string | null {
  const known = cuda.toolkits.filter((t) => sameMinor(t.version, version)).map((t) => t.minDriverLinux).filter((d): d is string => d !== null)
  return known.sort(cmpDriver)[0] ?? null
}

/** The lowest driver that runs this CUDA at all: the family floor under minor-version compatibility, else the toolkit's own. */
export function minimumDriver(cuda: CudaMatrix, version: string): string | null {
  const family = cuda.families.find((f) => f.major === Number(version.split('.')[0]))
  return family?.minorCompat && family.minDriver ? family.minDriver : toolkitMinDriver(cuda, version)
}

/** Whether the host driver can run code built with this CUDA, natively or by minor-version compatibility. */
export function driverVerdict(cuda: CudaMatrix, version: string, driver: string): Verdict {
  const native = toolkitMinDriver(cuda, version)
  if (native && cmpDriver(driver, native) >= 0) return OK
  const family = cuda.families.find((f) => f.major === Number(version.split('.')[0]))
  if (family?.minorCompat && family.minDriver && cmpDriver(driver, family.minDriver) >= 0) {
    const own = native ? `older than CUDA ${version}'s own minimum (${native})` : `not known to meet CUDA ${version}'s own minimum (the data has none)`
    return { ok: true, warning: `driver ${driver} is ${own}; it runs under CUDA minor-version compatibility, without PTX JIT and newer APIs` }
  }
  const need = family?.minorCompat && family.minDriver ? family.minDriver : native
  if (!need) return { ok: true, warning: `the data has no driver minimum for CUDA ${version}` }
  return { ok: false, reason: `CUDA ${version} needs NVIDIA driver ≥ ${need}, and this host has ${driver}` }
}

function archNum(a: string): [number, number] {
  const [maj, min] = a.split('.').map(Number)
  return [maj, min ?? 0]
}

/** Cubins run on the same major at an equal or higher minor (sm_86 code on sm_89); PTX JITs upward. */
export function archVerdict(c: Candidate, cc: string): Verdict {
  const what = `${c.framework} ${c.version}+${c.variant}`
  if (!c.archs) return { ok: true, warning: `the data does not list the GPU architectures in ${what}; sm_${cc.replace('.', '')} support is unchecked` }
  const [maj, min] = archNum(cc)
  const cubin = c.archs.some((a) => archNum(a)[0] === maj && archNum(a)[1] <= min)
  if (cubin) return OK
  const ptx = (c.ptx ?? []).some((a) => compareLoose(a, cc) <= 0)
  if (ptx) return { ok: true, warning: `${what} has no kernels for sm_${cc.replace('.', '')}; it will JIT-compile PTX at first use (slow start, may fail)` }
  return { ok: false, reason: `${what} ships kernels for ${c.archs.map((a) => `sm_${a.replace('.', '')}`).join(', ')} only, and this GPU is sm_${cc.replace('.', '')}` }
}

/** All host checks for one GPU candidate. CPU candidates and hosts without GPU facts always pass. */
export function hostVerdict(cuda: CudaMatrix, c: Candidate, host: HostFacts): Verdict {
  if (c.cuda === null) return OK
  const verdicts: Verdict[] = []
  if (host.driver) verdicts.push(driverVerdict(cuda, c.cuda, host.driver))
  for (const cc of new Set(host.gpus.map((g) => g.computeCapability))) verdicts.push(archVerdict(c, cc))
  const bad = verdicts.find((v) => !v.ok)
  if (bad) return bad
  const warnings = verdicts.map((v) => v.warning).filter(Boolean)
  return warnings.length ? { ok: true, warning: warnings.join('; ') } : OK
}
