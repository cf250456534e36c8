/** Orders by name in UTF-16 code units, independent of the host's locale (as the renderer does). */
export function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}
