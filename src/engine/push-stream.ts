import type { Readable } from 'node:stream'
import { EnvctlError } from '../errors/envctl-error.js'
import { jsonLines } from './json-lines.js'
import { inBandError } from './pull-stream.js'

/**
 * Follows a push's progress stream. The HTTP status is 200 before anything is sent, so a refusal comes in
 * band; the registry's digest for the manifest arrives as the `aux` record at the end.
 */
export async function readPushStream(stream: Readable, ref: string): Promise<string> {
  let failure: string | undefined
  let digest: string | undefined
  for await (const event of jsonLines(stream)) {
    failure = inBandError(event) ?? failure
    const aux = event.aux as { Digest?: string } | undefined
    if (typeof aux?.Digest === 'string') digest = aux.Digest
  }
  if (failure) throw pushFailed(ref, failure)
  if (!digest) throw pushFailed(ref, 'the engine reported no digest for the pushed image')
  return digest
}

/** Why a push failed, in the user's terms: the registry unreachable, plain HTTP, or refused credentials. */
export function pushFailed(ref: string, message: string, opts: { cause?: unknown } = {}): EnvctlError {
  const registry = ref.split('/')[0]
  const hint = /unauthorized|denied|authentication required|requested access/i.test(message)
    ? `run docker login ${registry} (envctl reads "auths" entries of your Docker config; credential helpers are not run), or set [registry] auth in the user config`
    : /server gave HTTP response to HTTPS client|http: server gave/i.test(message)
      ? `the registry ${registry} speaks plain HTTP: add it to the engine's insecure-registries, or serve it over TLS`
      : `check that the registry ${registry} is reachable from the engine and that the prefix is one you may push to`
  return new EnvctlError('PUSH_FAILED', `cannot push ${ref}: ${message}`, { hint, cause: opts.cause })
}
