import { compareVersions, normalizeName, parseVersion, satisfiesAll, type Specifier } from '../resolvers/pep440.js'

/**
 * Versions on a PEP 503 "simple" project page, read from the file names its links carry. Yanked files
 * (PEP 592 data-yanked) are left out, as pip leaves them out.
 */

const ANCHOR = /<a\b([^>]*)>([^<]*)<\/a>/gi
const ARCHIVES = ['.whl', '.tar.gz', '.zip', '.tar.bz2', '.tgz']

/** "numpy-2.2.6-cp311-….whl" → "2.2.6"; "python-dateutil-2.9.0.tar.gz" → "2.9.0"; null for another project. */
export function versionFromFilename(file: string, project: string): string | null {
  const ext = ARCHIVES.find((e) => file.toLowerCase().endsWith(e))
  if (!ext) return null
  const base = file.slice(0, -ext.length)
  const want = normalizeName(project)
  if (ext === '.whl') {
    const [name, version] = base.split('-')
    return name && version && normalizeName(name) === want ? version : null
  }
  for (let i = base.indexOf('-'); i !== -1; i = base.indexOf('-', i + 1)) {
    if (normalizeName(base.slice(0, i)) === want) return base.slice(i + 1)
  }
  return null
}

function fileOf(attrs: string, text: string): string {
  const href = /\bhref\s*=\s*"([^"]*)"/i.exec(attrs)?.[1] ?? ''
  const last = decodeURIComponent(href.split('#')[0]!.split('/').pop() ?? '')
  return last || text.trim()
}

/** Every valid version the page offers, newest first. */
export function versionsOnPage(html: string, project: string): string[] {
  const out = new Set<string>()
  for (const m of html.matchAll(ANCHOR)) {
    if (/\bdata-yanked\b/i.test(m[1]!)) continue
    const v = versionFromFilename(fileOf(m[1]!, m[2]!), project)
    if (v && parseVersion(v)) out.add(v)
  }
  return [...out].sort((a, b) => compareVersions(b, a))
}

const isFinal = (v: string) => {
  const p = parseVersion(v)
  return p !== null && p.pre === null && p.dev === null
}

/** The newest final release (a pre-release only when there is nothing else), optionally within specifiers. */
export function newest(versions: string[], specifiers: Specifier[] = []): string | null {
  const allowed = versions.filter((v) => satisfiesAll(v, specifiers))
  return allowed.find(isFinal) ?? allowed[0] ?? null
}
