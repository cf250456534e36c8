import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { EnvctlPaths } from '../config/paths.js'
import { loadUserConfig, type UserConfig } from '../config/user-config.js'
import type { SourceLocation } from '../errors/envctl-error.js'
import { mergeLayers } from '../stack/merge.js'
import { toCamelCase } from '../stack/to-spec.js'
import { USER_CONFIG_SCHEMA } from '../config/schema.js'
import { PROJECT_FILE } from '../stack/stack-ref.js'
import type { GpuMode, MirrorsSpec, NetworkSpec } from '../stack/types.js'
import { loadPlanStack } from '../project/plan-stack.js'

/** The settings in effect in a folder: its stack's (with the user config below), else the user config's. */
export interface EffectiveSettings {
  mirrors: MirrorsSpec
  network: NetworkSpec
  gpu: { mode?: GpuMode }
  provenance: Record<string, SourceLocation>
  user: UserConfig | null
  /** How messages name the project's stack file, or null when there is none here. */
  project: string | null
}

export function effectiveSettings(input: { cwd: string; ref?: string; paths: EnvctlPaths }): EffectiveSettings {
  const hasProject = input.ref !== undefined || existsSync(join(input.cwd, PROJECT_FILE))
  if (hasProject) {
    const { spec, userConfig } = loadPlanStack({ ref: input.ref, cwd: input.cwd, paths: input.paths })
    return { mirrors: spec.mirrors, network: spec.network, gpu: spec.gpu, provenance: spec.provenance, user: userConfig, project: spec.origin }
  }
  const user = loadUserConfig(input.paths.userConfig, input.paths.home)
  const m = mergeLayers(user ? [user.layer] : [])
  const t = toCamelCase(m.table, USER_CONFIG_SCHEMA) as Partial<Pick<EffectiveSettings, 'mirrors' | 'network' | 'gpu'>>
  return { mirrors: t.mirrors ?? {}, network: t.network ?? {}, gpu: t.gpu ?? {}, provenance: m.provenance, user, project: null }
}
