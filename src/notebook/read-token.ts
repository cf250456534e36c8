import type { ContainerSummary, Engine } from '../engine/engine.js'
import { LABEL } from '../environment/naming.js'
import { CONFIG_PATH, tokenFromConfig } from './server-config.js'
import { hiddenUrl, notebookUrl } from './url.js'

/** The token in a container's notebook config (running or stopped), or null when it has none. */
export async function readToken(engine: Engine, id: string): Promise<string | null> {
  try {
    return tokenFromConfig((await engine.readFile(id, CONFIG_PATH)).toString('utf8'))
  } catch {
    return null
  }
}

/** The notebook host port recorded at creation, or null for a container without a notebook. */
export function labelPort(c: ContainerSummary | null): number | null {
  const port = Number(c?.labels[LABEL.notebookPort])
  return c && Number.isInteger(port) && port > 0 ? port : null
}

/** For listings: the URL with its token hidden, unless asked for, and then read from the container. */
export async function listedUrl(engine: Engine, c: ContainerSummary, showToken: boolean): Promise<string | null> {
  const port = labelPort(c)
  if (port === null) return null
  const token = showToken ? await readToken(engine, c.id) : null
  return token ? notebookUrl(port, token) : hiddenUrl(port)
}
