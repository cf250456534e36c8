/** Reading /var/lib/dpkg/status: the installed Debian packages of an image, without running it. */

interface Paragraph {
  name: string
  arch: string
  version: string
}

function field(lines: string[], name: string): string | undefined {
  const prefix = `${name}:`
  return lines.find((l) => l.startsWith(prefix))?.slice(prefix.length).trim()
}

/** "install ok installed" (or "hold ok installed"): the third word is the package's state. */
function isInstalled(status: string | undefined): boolean {
  return status?.split(/\s+/)[2] === 'installed'
}

function paragraphs(text: string): Paragraph[] {
  const out: Paragraph[] = []
  for (const block of text.split(/\n[ \t]*\n/)) {
    const lines = block.split('\n')
    const name = field(lines, 'Package')
    const version = field(lines, 'Version')
    if (name && version && isInstalled(field(lines, 'Status'))) out.push({ name, version, arch: field(lines, 'Architecture') ?? '' })
  }
  return out
}

/** Installed package → version. A package installed for two architectures is keyed `name:arch`, as apt takes it. */
export function parseDpkgStatus(text: string): Record<string, string> {
  const all = paragraphs(text)
  const count = new Map<string, number>()
  for (const p of all) count.set(p.name, (count.get(p.name) ?? 0) + 1)
  return Object.fromEntries(all.map((p) => [count.get(p.name)! > 1 ? `${p.name}:${p.arch}` : p.name, p.version]))
}

/** Packages the image has that its base lacks or has at another version: what the apt step installed. */
export function addedPackages(base: Record<string, string>, image: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(image).filter(([name, version]) => base[name] !== version))
}
