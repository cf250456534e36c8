import type { ResolvedStack } from '../resolvers/types.js'
import { renderRefusal } from './escape.js'
import type { Section } from './instructions.js'
import { base } from './sections/base.js'
import { caCertificate } from './sections/ca-certificate.js'
import { command } from './sections/command.js'
import { environment } from './sections/environment.js'
import { frameworkPackages } from './sections/framework-packages.js'
import { header } from './sections/header.js'
import { labels } from './sections/labels.js'
import { languageRuntime } from './sections/language-runtime.js'
import { mavenPackages } from './sections/maven-packages.js'
import { npmPackages } from './sections/npm-packages.js'
import { systemPackages } from './sections/system-packages.js'
import { toolingPackages } from './sections/tooling-packages.js'
import { userPackages } from './sections/user-packages.js'
import { workspace } from './sections/workspace.js'

/**
 * Sections in layer order, least likely to change first, so that BuildKit reuses every layer above the
 * first changed one: a new user pin rebuilds neither apt, the framework layer nor the tooling (JupyterLab), and labels and CMD
 * (metadata) come after every layer.
 */
export const SECTIONS: readonly Section[] = [
  header,
  base,
  caCertificate,
  systemPackages,
  languageRuntime,
  frameworkPackages,
  toolingPackages,
  userPackages,
  npmPackages,
  mavenPackages,
  workspace,
  environment,
  labels,
  command,
]

const RUNTIMES = new Set<string>(['python', 'node', 'java', 'none'])

/**
 * The Dockerfile for a resolved stack. Pure and deterministic: the same value (whatever the key order of
 * its records) gives byte-identical text. Throws an EnvctlError (INVALID_STACK) for any value that could
 * not be written safely, rather than writing it.
 */
export function renderDockerfile(r: ResolvedStack): string {
  if (!RUNTIMES.has(r.runtime)) throw renderRefusal('runtime', String(r.runtime), 'unknown runtime')
  const blocks = SECTIONS.map((section) => section(r)).filter((lines) => lines.length > 0)
  return `${blocks.map((lines) => lines.join('\n')).join('\n\n')}\n`
}
