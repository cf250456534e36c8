import { EnvctlError } from '../errors/envctl-error.js'

/** True when the host port can be published: nothing listens on it and no container publishes it. */
export type PortProbe = (port: number) => Promise<boolean>

/** How far past the preferred port to look before giving up. */
export const PORT_SCAN = 100

const PORT_HINT = 'choose a port from 1024 to 65535, e.g. --port 8888 (the default)'

/** `where` names the source for the message: "--port" or "notebook.port". */
export function checkPort(port: number, uid: number, where: string): void {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new EnvctlError('USAGE', `${where} ${port} is not a TCP port (1-65535)`, { hint: PORT_HINT })
  if (port < 1024 && uid !== 0) throw new EnvctlError('USAGE', `${where} ${port} is below 1024, which only root may use`, { hint: PORT_HINT })
}

/** The preferred port when free, else the next free one after it. */
export async function pickFreePort(preferred: number, isFree: PortProbe, scan = PORT_SCAN): Promise<number> {
  const last = Math.min(preferred + scan - 1, 65535)
  for (let port = preferred; port <= last; port++) if (await isFree(port)) return port
  throw new EnvctlError('PORT_IN_USE', `ports ${preferred}-${last} on 127.0.0.1 are all taken`, { hint: 'free one of them, or choose another range with --port' })
}
