import { EnvctlError } from '../errors/envctl-error.js'
import type { ResolvedStack } from '../resolvers/types.js'
import { ENV_HOME } from '../environment/container/passwd.js'

/** Inside the container the server always listens here; the host side is chosen per environment. */
export const NOTEBOOK_PORT = 8888
export const WORKSPACE = '/workspace'

/**
 * The config sits in the user's home, beside (not inside) the `.envctl` marker file user-setup writes there.
 * It holds the token: a 0600 file owned by the user, never a command line, an env var or an image layer,
 * which `docker inspect` and `docker history` would show.
 */
export const CONFIG_HOME = ENV_HOME
export const CONFIG_REL = '.config/envctl/jupyter_server_config.json'
export const CONFIG_PATH = `${CONFIG_HOME}/${CONFIG_REL}`

/** Where each server generation reads its token and root folder (jupyter_server 2 moved the token). */
export interface ServerFlavor {
  jupyterlab: number
  tokenClass: 'IdentityProvider' | 'ServerApp' | 'NotebookApp'
  rootClass: 'ServerApp' | 'NotebookApp'
  rootKey: 'root_dir' | 'notebook_dir'
}

const NO_NOTEBOOK_HINT = 'drop --notebook (and [notebook] enabled in the stack file), or use a Python stack such as pytorch'

/** JupyterLab's major version from what the resolver pinned: an exact version, or a specifier's lower bound. */
export function jupyterlabMajor(version: string): number {
  const m = /^(\d+)/.exec(version) ?? /(?:>=|==|~=|===|>)\s*(\d+)/.exec(version)
  return m ? Number(m[1]) : 4
}

/** The server this stack runs, or why it has none. Throws UNRESOLVABLE for stacks without Python or JupyterLab. */
export function serverFlavor(r: ResolvedStack): ServerFlavor {
  if (r.runtime !== 'python' || !r.python) {
    throw new EnvctlError('UNRESOLVABLE', `stack ${r.stack} runs ${r.runtime === 'none' ? 'no language runtime' : r.runtime}, and there is no notebook for it: JupyterLab needs Python`, { hint: NO_NOTEBOOK_HINT })
  }
  const lab = r.pip.find((p) => p.name.toLowerCase() === 'jupyterlab')
  if (!lab) {
    throw new EnvctlError('UNRESOLVABLE', `stack ${r.stack} (python ${r.python}) has no JupyterLab: the compatibility data gives this python no JupyterLab release`, { hint: 'add "jupyterlab" to packages.pip, or use python 3.8 or newer' })
  }
  const major = jupyterlabMajor(lab.version)
  if (major >= 4) return { jupyterlab: major, tokenClass: 'IdentityProvider', rootClass: 'ServerApp', rootKey: 'root_dir' }
  if (major === 3) return { jupyterlab: major, tokenClass: 'ServerApp', rootClass: 'ServerApp', rootKey: 'root_dir' }
  return { jupyterlab: major, tokenClass: 'NotebookApp', rootClass: 'NotebookApp', rootKey: 'notebook_dir' }
}

/**
 * The config file's text: JSON, which Jupyter reads with --config; sorted by class for a stable file.
 * A host user that is root runs the container as root, which Jupyter refuses unless told it is meant.
 */
export function serverConfig(token: string, flavor: ServerFlavor, asRoot = false): string {
  if (token.length < 32) throw new Error('a notebook token must carry at least 128 bits')
  const config: Record<string, Record<string, string | boolean>> = {}
  const set = (cls: string, key: string, value: string | boolean) => (config[cls] = { ...config[cls], [key]: value })
  set(flavor.tokenClass, 'token', token)
  set(flavor.rootClass, flavor.rootKey, WORKSPACE)
  if (asRoot) set(flavor.rootClass, 'allow_root', true)
  const sorted = Object.fromEntries(Object.keys(config).sort().map((k) => [k, config[k]]))
  return `${JSON.stringify(sorted, null, 2)}\n`
}

/** The token a config file holds, whichever class it is under; null when absent or unreadable. */
export function tokenFromConfig(text: string): string | null {
  try {
    const config = JSON.parse(text) as Record<string, { token?: unknown }>
    for (const cls of ['IdentityProvider', 'ServerApp', 'NotebookApp']) {
      const token = config[cls]?.token
      if (typeof token === 'string' && token !== '') return token
    }
  } catch {
    // a hand-edited or truncated file counts as no token: the caller recreates the container
  }
  return null
}

/**
 * The container's command when the notebook is on: the server is the main process, so it comes back
 * with every start, and `envctl logs` is its log. Exec form: no shell re-parses anything.
 */
export function serverCommand(): string[] {
  return ['jupyter', 'lab', `--config=${CONFIG_PATH}`, '--no-browser', '--ip=0.0.0.0', `--port=${NOTEBOOK_PORT}`]
}
