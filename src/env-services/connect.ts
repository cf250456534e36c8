import type { CatalogEntry } from './catalog.js'

/**
 * The variables the environment gets to reach a catalog service, from the entry's templates: {host} is the
 * service's name on the network, {VAR} the service's own variable. A template naming a variable the service
 * does not set is left out rather than rendered with a hole.
 */
export function connectionEnv(entry: CatalogEntry, host: string, env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, template] of Object.entries(entry.connect)) {
    let missing = false
    const value = template.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, key: string) => {
      if (key === 'host') return host
      if (env[key] === undefined) missing = true
      return env[key] ?? ''
    })
    if (!missing) out[name] = value
  }
  return out
}
