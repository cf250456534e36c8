import type { Engine, FileEntry } from '../../engine/engine.js'
import { npmAuthLine, npmCredentials, secretPipOptions, secretProxyVariables } from '../../render/secrets.js'
import type { ResolvedStack } from '../../resolvers/types.js'
import { envFileText, ENV_FILE } from './env-file.js'
import { ENV_HOME } from './passwd.js'

// The running environment's credentials (from mirror and proxy URLs) go into files in the user's home that
// only the user can read (0600, the user's uid:gid), written into the container before it first starts.
// Config.Env keeps only credential-free settings (container-plan.ts), so `docker inspect` shows none.

const relative = (path: string) => path.slice(ENV_HOME.length + 1)

/** pip's user config: the source options whose URLs carry a credential (the env leaves them out). */
export function pipConf(r: ResolvedStack): string | null {
  const opts = secretPipOptions(r)
  if (opts.length === 0) return null
  return `[global]\n${opts.map((o) => `${o.option} = ${o.urls.join('\n    ')}\n`).join('')}`
}

/** npm's user config: the registry without credentials, and its credential line. */
export function npmrc(r: ResolvedStack): string | null {
  const npm = npmCredentials(r)
  return npm ? `registry=${npm.url}\n${npmAuthLine(npm.url, npm.user, npm.password)}\n` : null
}

/** The files for this resolution, relative to the user's home; empty when no URL carries a credential. */
export function credentialFiles(r: ResolvedStack, uid: number, gid: number): FileEntry[] {
  const proxies = secretProxyVariables(r)
  const texts: Array<[string, string | null]> = [
    ['.config/pip/pip.conf', pipConf(r)],
    ['.npmrc', npmrc(r)],
    [relative(ENV_FILE), Object.keys(proxies).length ? envFileText(proxies) : null],
  ]
  return texts.filter((t): t is [string, string] => t[1] !== null).map(([path, content]) => ({ path, content, mode: 0o600, uid, gid }))
}

/** Before first start: the credential files, into this container only (never the image). */
export async function injectCredentials(engine: Engine, id: string, r: ResolvedStack, uid: number, gid: number): Promise<void> {
  const files = credentialFiles(r, uid, gid)
  if (files.length) await engine.putFiles(id, ENV_HOME, files)
}
