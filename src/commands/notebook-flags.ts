import { Flags } from '@oclif/core'

/** The port is checked by the service (1024-65535, below 1024 only as root), so every source gets one message. */
export const portFlag = Flags.integer({ summary: 'Host port for JupyterLab, on 127.0.0.1 only (default 8888; the next free one when taken).', helpGroup: 'NOTEBOOK' })

export const notebookFlags = {
  notebook: Flags.boolean({ summary: 'Run JupyterLab in the environment (Python stacks) and print its URL with the token.', allowNo: true, helpGroup: 'NOTEBOOK' }),
  port: portFlag,
}

export const openFlag = Flags.boolean({ summary: "Open the notebook in your browser (xdg-open or open).", helpGroup: 'NOTEBOOK' })

/** Opens the URL, or says why not: a server or a container has no browser to hand it to. */
export async function openOrSay(url: string, platform: string, say: (line: string) => void): Promise<boolean> {
  const { openUrl } = await import('../ui/open-url.js')
  const opened = await openUrl(url, platform)
  say(opened ? 'opened it in your browser' : `no browser opener here (${platform === 'darwin' ? 'open' : 'xdg-open'} failed or is missing): open the URL yourself`)
  return opened
}
