import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCredentialHelper } from './credential-helper.js'
import type { RegistryAuth } from './engine.js'
import { lookupRegistryAuth, registryOf } from './registry-auth.js'

/** Credentials for pulling an image, and the credential helper they came from (for the hint when the registry refuses them). */
export interface PullAuth {
  auth?: RegistryAuth
  helper?: string
}

/** How a use case asks for the credentials of an image's registry; made at the edge from the Docker config folder. */
export type CredentialsFor = (imageRef: string) => Promise<PullAuth>

/**
 * Edge helper: reads `<configDir>/config.json` (the caller passes DOCKER_CONFIG or ~/.docker) and finds the
 * credentials for the registry an image comes from, running the credential helper the config names for it.
 * A missing or unreadable file means no credentials.
 */
export async function readRegistryAuth(imageRef: string, configDir: string): Promise<PullAuth> {
  const configFile = join(configDir, 'config.json')
  let text: string
  try {
    text = await readFile(configFile, 'utf8')
  } catch {
    return {}
  }
  const found = lookupRegistryAuth(text, registryOf(imageRef))
  if (!found.helper) return found.auth ? { auth: found.auth } : {}
  const auth = await runCredentialHelper({ ...found.helper, configFile })
  return { ...(auth ? { auth } : {}), helper: found.helper.name }
}

/** Credentials from a Docker config folder; none without one (`[registry] auth = "none"`). */
export function dockerCredentials(configDir: string | undefined): CredentialsFor {
  return configDir ? (ref) => readRegistryAuth(ref, configDir) : async () => ({})
}
