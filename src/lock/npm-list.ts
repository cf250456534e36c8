/** `npm ls -g --depth=0 --json` output, for locking the global npm set. */

/**
 * Versions of the wanted global packages; others (npm, corepack: the base image's) are left out. Null when
 * the text is not npm's JSON (`npm ls` printed nothing, or an error).
 */
export function parseNpmList(text: string, wanted: string[]): Record<string, string> | null {
  let deps: Record<string, { version?: string }>
  try {
    deps = (JSON.parse(text) as { dependencies?: typeof deps }).dependencies ?? {}
  } catch {
    return null
  }
  const names = new Set(wanted)
  return Object.fromEntries(
    Object.entries(deps)
      .filter(([name, d]) => names.has(name) && typeof d.version === 'string')
      .map(([name, d]) => [name, d.version!]),
  )
}
