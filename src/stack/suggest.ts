/**
 * Optimal-string-alignment distance (Damerau–Levenshtein with adjacent transpositions),
 * so `moed` → `mode` costs 1, as a typo should.
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)])
  for (let j = 1; j <= b.length; j++) d[0][j] = j
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1)
    }
  }
  return d[a.length][b.length]
}

// Case and separators are ignored first, so `pipExtra` and `PIP-EXTRA` find `pip_extra` at distance 0.
function normalise(s: string): string {
  return s.toLowerCase().replace(/[-_]/g, '')
}

/** The closest candidate within a typo's reach (2 edits, 3 for longer words), or undefined. */
export function didYouMean(input: string, candidates: Iterable<string>): string | undefined {
  const target = normalise(input)
  let best: { candidate: string; distance: number } | undefined
  for (const candidate of candidates) {
    const distance = editDistance(target, normalise(candidate))
    if (!best || distance < best.distance) best = { candidate, distance }
  }
  if (!best) return undefined
  const limit = Math.min(target.length > 6 ? 3 : 2, target.length - 1)
  return best.distance <= limit ? best.candidate : undefined
}
