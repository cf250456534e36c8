/** Plain columns for terminals and pipes: left-aligned, two spaces apart, no trailing blanks. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const all = [header, ...rows]
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)))
  return all.map((r) => widths.map((w, i) => (r[i] ?? '').padEnd(w)).join('  ').trimEnd()).join('\n')
}

/** "just now", "5m ago", "3h ago", "2d ago": enough to tell environments apart in a list. */
export function age(thenMs: number, nowMs: number): string {
  const s = Math.max(0, Math.round((nowMs - thenMs) / 1000))
  if (s < 60) return 'just now'
  const units: Array<[number, string]> = [[86_400, 'd'], [3_600, 'h'], [60, 'm']]
  const [size, unit] = units.find(([n]) => s >= n)!
  return `${Math.floor(s / size)}${unit} ago`
}

/** 1536 → "1.5 KB"; decimal units, as `docker system df` shows them. */
export function bytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB']
  let i = 0
  let v = n
  while (v >= 1000 && i < units.length - 1) (v /= 1000), i++
  return i === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`
}
