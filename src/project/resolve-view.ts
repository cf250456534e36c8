import type { ResolvedStack } from '../resolvers/types.js'
import type { LockStatus } from './plan.js'
import { maskUrl } from '../secrets/mask.js'

/** The stable `resolve --json` shape: what scripts and other tools read. */
export interface ResolveView {
  stack: string
  runtime: string
  python: string | null
  cuda: string | null
  cudnn: string | null
  gpu: boolean
  base: { image: string; digest?: string; os: string }
  frameworks: Record<string, string>
  variants: Record<string, string>
  packages: { pip: Record<string, string>; apt: Record<string, string>; npm: Record<string, string>; maven: Record<string, string> }
  pipSources: ResolvedStack['pipSources']
  node: string | null
  java: ResolvedStack['java']
  warnings: string[]
  matrixVersion: string
  lock: LockStatus
  explain?: ResolvedStack['explain']
}

function npmEntry(spec: string): [string, string] {
  const at = spec.lastIndexOf('@')
  return at > 0 ? [spec.slice(0, at), spec.slice(at + 1)] : [spec, '*']
}

function aptEntry(spec: string): [string, string] {
  const [name, version] = spec.split('=')
  return [name, version ?? '*']
}

function mavenEntry(coord: string): [string, string] {
  const parts = coord.split(':')
  return [parts.slice(0, 2).join(':'), parts[2] ?? '*']
}

export function resolveView(r: ResolvedStack, lock: LockStatus, explain: boolean): ResolveView {
  const view: ResolveView = {
    stack: r.stack,
    runtime: r.runtime,
    python: r.python,
    cuda: r.cuda,
    cudnn: r.cudnn,
    gpu: r.gpu,
    base: { image: r.base.image, os: r.base.os, ...(r.base.digest ? { digest: r.base.digest } : {}) },
    frameworks: r.frameworks,
    variants: r.variants,
    packages: {
      pip: Object.fromEntries(r.pip.map((p) => [p.name, p.version])),
      apt: Object.fromEntries(r.apt.map(aptEntry)),
      npm: Object.fromEntries(r.npm.map(npmEntry)),
      maven: Object.fromEntries(r.maven.map(mavenEntry)),
    },
    // Index URLs may carry credentials; the view is output, so they are masked here.
    pipSources: { ...r.pipSources, indexUrl: r.pipSources.indexUrl && maskUrl(r.pipSources.indexUrl), extraIndexUrls: r.pipSources.extraIndexUrls.map(maskUrl), findLinks: r.pipSources.findLinks.map(maskUrl) },
    node: r.node,
    java: r.java,
    warnings: r.warnings,
    matrixVersion: r.matrixVersion,
    lock,
  }
  if (explain) view.explain = r.explain
  return view
}

/** The readable table `envctl resolve` prints. */
export function renderResolveTable(v: ResolveView): string {
  const rows: Array<[string, string]> = [
    ['stack', v.stack],
    ['runtime', v.runtime + (v.python ? ` (python ${v.python})` : v.node ? ` (node ${v.node})` : v.java ? ` (java ${v.java.version}${v.java.build ? `, ${v.java.build}` : ''})` : '')],
    ['gpu', v.gpu ? `yes — CUDA ${v.cuda ?? 'from the host driver'}${v.cudnn ? `, cuDNN ${v.cudnn}` : ''}` : 'no (CPU build)'],
    ['base', v.base.image + (v.base.digest ? `@${v.base.digest}` : '')],
    ...Object.entries(v.frameworks).map(([k, ver]): [string, string] => [k, `${ver} (${v.variants[k]})`]),
    ...Object.entries(v.packages.pip).map(([k, ver]): [string, string] => [`pip ${k}`, ver]),
    ...Object.entries(v.packages.apt).map(([k, ver]): [string, string] => [`apt ${k}`, ver]),
    ...Object.entries(v.packages.npm).map(([k, ver]): [string, string] => [`npm ${k}`, ver]),
    ['lock', v.lock],
    ['matrix', v.matrixVersion],
  ]
  const width = Math.max(...rows.map(([k]) => k.length))
  const lines = rows.map(([k, val]) => `${k.padEnd(width)}  ${val}`)
  for (const e of v.explain ?? []) lines.push(`  why ${e.key} = ${e.value}: ${e.because}`)
  for (const w of v.warnings) lines.push(`warning: ${w}`)
  return lines.join('\n')
}
