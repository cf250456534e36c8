import type { Engine, OnProgress } from '../../engine/engine.js'
import type { CredentialsFor } from '../../engine/docker-config-file.js'
import { registryOf } from '../../engine/registry-auth.js'
import { EnvctlError } from '../../errors/envctl-error.js'

export interface PullRequest {
  credentials?: CredentialsFor
  onProgress?: OnProgress
  signal?: AbortSignal
}

/**
 * Pulls `ref` with the credentials its registry has in the Docker config (a credential helper run for it,
 * or an `auths` entry); a refusal then names where the credentials came from.
 */
export async function pullWithAuth(engine: Pick<Engine, 'pullImage'>, ref: string, req: PullRequest): Promise<void> {
  const { auth, helper } = req.credentials ? await req.credentials(ref) : {}
  try {
    await engine.pullImage(ref, { onProgress: req.onProgress, auth, signal: req.signal })
  } catch (err) {
    if (!(err instanceof EnvctlError) || err.code !== 'PULL_FAILED' || !/refused access/.test(err.message)) throw err
    throw new EnvctlError('PULL_FAILED', err.message, { hint: refusedHint(ref, auth !== undefined, helper), problems: err.problems, cause: err })
  }
}

function refusedHint(ref: string, sent: boolean, helper: string | undefined): string {
  const registry = registryOf(ref)
  if (helper && sent) return `the registry refused the credentials the credential helper "${helper}" gave for ${registry}: run \`docker login ${registry}\` to store valid ones`
  if (helper) return `the credential helper "${helper}" has no credentials for ${registry}: run \`docker login ${registry}\``
  if (sent) return `the registry refused the credentials in the Docker config's "auths" for ${registry}: run \`docker login ${registry}\` again`
  return `${registry} wants credentials: run \`docker login ${registry}\` (envctl uses the Docker config's "auths", credsStore and credHelpers), or check [registry] auth in the user config`
}
