import type { UserConfig } from '../config/user-config.js'
import type { ExposureContext } from '../stack/exposure.js'
import { defaultBuiltinDir } from '../stack/stack-ref.js'

/** What the exposure rule needs of an `up`/`build` run: its folder, the flag, and the user's [trust] list. */
export function exposureContext(input: { cwd: string; allowExposure?: boolean; buildOnly?: boolean }, user: UserConfig | null): ExposureContext {
  return {
    cwd: input.cwd,
    builtinDir: defaultBuiltinDir(),
    trusted: user?.trustExposure?.sources ?? [],
    allow: Boolean(input.allowExposure),
    buildOnly: Boolean(input.buildOnly),
  }
}
