import { registryAuthSetting } from '../../config/user-config.js'
import { dockerCredentials, type CredentialsFor } from '../../engine/docker-config-file.js'
import { need, type UpCtx } from './context.js'

/** Pull credentials from Docker's config folder, unless the user config's [registry] auth names another or "none". */
export function registryCredentials(ctx: UpCtx): CredentialsFor {
  const setting = registryAuthSetting(need(ctx, 'planned').plan.userConfig, ctx.input.paths?.home)
  return dockerCredentials(setting.kind === 'none' ? undefined : (setting.dir ?? ctx.input.dockerConfigDir))
}
