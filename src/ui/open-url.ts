import { spawn } from 'node:child_process'

/** The desktop's own opener, which picks the user's browser. */
function opener(platform: string): string {
  return platform === 'darwin' ? 'open' : 'xdg-open'
}

/**
 * Hands the URL to the opener; false when there is none or it fails quickly (no desktop session).
 * An opener still running after a few seconds has found a browser that it is waiting on.
 */
export function openUrl(url: string, platform: string, waitMs = 3000): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(opener(platform), [url], { stdio: 'ignore', detached: true })
    const timer = setTimeout(() => (child.unref(), resolve(true)), waitMs)
    child.once('error', () => (clearTimeout(timer), resolve(false)))
    child.once('exit', (code) => (clearTimeout(timer), resolve(code === 0)))
  })
}
