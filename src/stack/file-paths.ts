import { dirname, resolve } from 'node:path'
import { expandHome } from '../config/paths.js'
import { isTable } from './schema-walk.js'

/**
 * `network.ca_bundle` is written relative to the file that sets it (or `~/…`); after loading it is an
 * absolute path, so that a base file, a git source and the user config can each name their own CA.
 */
export function withAbsolutePaths(table: Record<string, unknown>, file: string, home?: string): Record<string, unknown> {
  const network = table.network
  if (!isTable(network) || typeof network.ca_bundle !== 'string') return table
  const absolute = resolve(dirname(file), expandHome(network.ca_bundle, home))
  return { ...table, network: { ...network, ca_bundle: absolute } }
}
