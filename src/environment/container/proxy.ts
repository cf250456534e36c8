import { hasCredentials } from '../../secrets/mask.js'
import type { NetworkSpec } from '../../stack/types.js'

/**
 * HTTP(S)_PROXY / NO_PROXY in both spellings, as tools differ on which they read. Used as build arguments
 * (Docker predefines them: they reach RUN steps and never persist in the image) and as container env.
 * A proxy URL with a credential is left out: build args reach the builder's logs and the container's env is
 * in `docker inspect`, so it travels in files instead (render/secrets.ts, credential-files.ts).
 */
export function proxyVariables(n: NetworkSpec): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [k, v] of [['HTTP_PROXY', n.httpProxy], ['HTTPS_PROXY', n.httpsProxy], ['NO_PROXY', n.noProxy]] as const) {
    if (v && !hasCredentials(v)) Object.assign(out, { [k]: v, [k.toLowerCase()]: v })
  }
  return out
}
