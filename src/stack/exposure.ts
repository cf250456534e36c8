import { isAbsolute, relative, resolve } from 'node:path'
import { EnvctlError, formatLocation, type Problem, type SourceLocation } from '../errors/envctl-error.js'
import type { StackSpec } from './types.js'

// A stack the project pulls in from elsewhere (extends from git, or a file outside the project folder) may
// not silently widen what the environment exposes: ports on every interface (run.bind) or build steps on
// the host's network (build_network = "host", where they reach every service on the host's 127.0.0.1).
// Such a setting needs the user's own confirmation: --allow-exposure, or [trust] exposure in the user config.
// The project's own files, the user config and the built-in stacks are trusted: the user wrote or chose them.

export interface ExposureContext {
  /** Where relative file names in provenance are relative to (the command's folder). */
  cwd: string
  /** The built-in stacks' folder. */
  builtinDir: string
  /** [trust] exposure from the user config: git source prefixes or absolute folders. */
  trusted: string[]
  /** --allow-exposure. */
  allow: boolean
  /** build only: run.bind does not apply. */
  buildOnly: boolean
}

interface Widening {
  key: string
  what: string
}

const LOOPBACK = new Set(['127.0.0.1', '::1'])

function widenings(spec: StackSpec, buildOnly: boolean): Widening[] {
  const out: Widening[] = []
  if (!buildOnly && spec.run.bind !== undefined && !LOOPBACK.has(spec.run.bind)) {
    out.push({ key: 'run.bind', what: `run.bind = "${spec.run.bind}" publishes the environment's ports beyond 127.0.0.1` })
  }
  if (spec.network.buildNetwork === 'host') {
    out.push({ key: 'network.build_network', what: 'network.build_network = "host" gives build steps the host\'s network, 127.0.0.1 included' })
  }
  return out
}

const inside = (path: string, dir: string): boolean => {
  const rel = relative(dir, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

const isGit = (file: string) => file.startsWith('git+')

/** Whether the file that set a key is the user's own (project, user config, built-in) or confirmed by them. */
export function isTrustedFile(file: string, spec: StackSpec, ctx: ExposureContext): boolean {
  if (isGit(file)) return ctx.trusted.some((t) => file.startsWith(t))
  if (spec.userConfig !== undefined && file === spec.userConfig) return true
  const path = resolve(ctx.cwd, file)
  const own = [ctx.builtinDir, ...(spec.dir ? [spec.dir] : [])]
  return own.some((d) => inside(path, d)) || ctx.trusted.filter(isAbsolute).some((t) => inside(path, t))
}

/** Throws EXPOSURE_UNCONFIRMED naming every widening setting from an untrusted file, unless confirmed. */
export function checkExposure(spec: StackSpec, ctx: ExposureContext): void {
  if (ctx.allow) return
  const problems: Problem[] = []
  for (const w of widenings(spec, ctx.buildOnly)) {
    const loc: SourceLocation | undefined = spec.provenance[w.key]
    if (!loc || isTrustedFile(loc.file, spec, ctx)) continue
    problems.push({ message: `${w.what}, and this file comes from ${isGit(loc.file) ? 'a git source' : 'outside the project folder'}`, location: { ...loc, keyPath: w.key } })
  }
  if (problems.length === 0) return
  const sources = [...new Set(problems.map((p) => sourceOf(p.location!.file, ctx.cwd)))]
  throw new EnvctlError('EXPOSURE_UNCONFIRMED', `a stack file from elsewhere widens the environment's exposure: ${problems.map((p) => formatLocation(p.location!)).join(', ')}`, {
    problems,
    hint: `confirm it once with --allow-exposure, or for good in your user config (~/.config/envctl/config.toml): [trust] exposure = ${JSON.stringify(sources)}`,
  })
}

/** What [trust] exposure would name for a file: its git source (without the path inside it), or its folder. */
function sourceOf(file: string, cwd: string): string {
  if (isGit(file)) {
    const hash = file.indexOf('#')
    return hash < 0 ? file : file.slice(0, hash)
  }
  return resolve(cwd, file, '..')
}
