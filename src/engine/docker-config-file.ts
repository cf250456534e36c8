import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { lookupRegistryAuth, registryOf, type AuthLookup } from './registry-auth.js'

/**
 * Edge helper: reads `<configDir>/config.json` (the caller passes DOCKER_CONFIG or ~/.docker) and looks
 * up credentials for the registry an image comes from. A missing or unreadable file means no credentials.
 */
export async function readRegistryAuth(imageRef: string, configDir: string): Promise<AuthLookup> {
  let text: string
  try {
    text = await readFile(join(configDir, 'config.json'), 'utf8')
  } catch {
    return {}
  }
  return lookupRegistryAuth(text, registryOf(imageRef))
}
