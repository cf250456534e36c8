import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import { EnvctlError, type SourceLocation } from '../errors/envctl-error.js'
import { withAbsolutePaths } from '../stack/file-paths.js'
import type { MergeLayer } from '../stack/merge.js'
import { locationIn } from '../stack/merge.js'
import { parseStackText } from '../stack/parse.js'
import { walk, type Issue } from '../stack/schema-walk.js'
import { toProblems } from '../stack/validate.js'
import { expandHome } from './paths.js'
import { REGISTRY_AUTH_DOCKER, REGISTRY_AUTH_NONE, STACK_KEYS_IN_USER_CONFIG, USER_CONFIG_SCHEMA } from './schema.js'

/** Where base images are pulled with credentials from: Docker's config folder, or none. */
export type RegistryAuthSetting = { kind: 'docker-config'; dir?: string } | { kind: 'none' }

export interface UserConfig {
  /** Absolute path of the file. */
  path: string
  /** [mirrors], [network] and [gpu]: a merge layer below every stack file (ca_bundle made absolute). */
  layer: MergeLayer
  /** [registry] auth as written, and where. */
  registryAuth?: { value: string; location: SourceLocation }
  /** [trust] exposure: stack sources confirmed to widen exposure (exposure.ts), and where that was said. */
  trustExposure?: { sources: string[]; location: SourceLocation }
}

/** The user config at `path`, or null when there is none. Throws INVALID_STACK with every problem located. */
export function loadUserConfig(path: string, home?: string): UserConfig | null {
  if (!existsSync(path)) return null
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (err) {
    throw new EnvctlError('INVALID_STACK', `cannot read the user config ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`, { cause: err })
  }
  const source = parseStackText(text, path, path)
  const issues: Issue[] = []
  walk(source.table, USER_CONFIG_SCHEMA, [], issues)
  if (issues.length > 0) {
    const n = issues.length
    throw new EnvctlError('INVALID_STACK', `user config ${path} has ${n} problem${n === 1 ? '' : 's'}`, {
      problems: toProblems(issues, path, source.positions),
      hint: 'fix the problems above; docs/CONFIG.md describes every key',
    })
  }
  const stackPart = Object.fromEntries(STACK_KEYS_IN_USER_CONFIG.filter((k) => k in source.table).map((k) => [k, source.table[k]]))
  const auth = (source.table.registry as { auth?: string } | undefined)?.auth
  const trusted = (source.table.trust as { exposure?: string[] } | undefined)?.exposure
  return {
    path,
    layer: { table: withAbsolutePaths(stackPart, path, home), display: path, positions: source.positions },
    ...(auth === undefined ? {} : { registryAuth: { value: auth, location: locationIn(source, ['registry', 'auth']) } }),
    ...(trusted === undefined ? {} : { trustExposure: { sources: trusted.map((t) => expandHome(t, home)), location: locationIn(source, ['trust', 'exposure']) } }),
  }
}

/** `[registry] auth`: "docker-config" (default: Docker's own folder), "none", or another Docker config folder. */
export function registryAuthSetting(config: UserConfig | null, home?: string): RegistryAuthSetting {
  const value = config?.registryAuth?.value ?? REGISTRY_AUTH_DOCKER
  if (value === REGISTRY_AUTH_NONE) return { kind: 'none' }
  if (value === REGISTRY_AUTH_DOCKER) return { kind: 'docker-config' }
  return { kind: 'docker-config', dir: resolve(dirname(config!.path), expandHome(value, home)) }
}
