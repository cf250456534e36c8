import type { ProgressEvent } from '../../engine/engine.js'

function mib(n: number): string {
  return `${(n / 1024 / 1024).toFixed(1)} MiB`
}

/** One readable line per engine event, or null for events not worth a line. */
export function progressLine(e: ProgressEvent): string | null {
  switch (e.kind) {
    case 'step':
      if (e.error) return `✗ ${e.name}: ${e.error}`
      if (e.cached) return `CACHED ${e.name}`
      return e.done ? `done ${e.name}` : `${e.name}`
    case 'log':
      return `  ${e.text}`
    case 'pull':
      return e.total ? `${e.id}: ${e.status} ${mib(e.current ?? 0)}/${mib(e.total)}` : `${e.id ? `${e.id}: ` : ''}${e.status}`
    case 'info':
      return e.text
  }
}
