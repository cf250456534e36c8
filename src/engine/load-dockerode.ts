// dockerode requires its BuildKit session (gRPC, protobuf: ~200 ms) and docker-modem requires ssh2 (~80 ms)
// at load time, although only a build needs the first and only an ssh:// engine the second. Before dockerode
// loads, those two modules are put in require's cache as stand-ins that load the real module on first call,
// so `up` on a cached image, `ls` and `exec` never pay for them. Both modules export one function, which is
// what makes the stand-in exact: the real function is called with the same arguments and `this`.
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import type DockerodeClass from 'dockerode'

type AnyFn = (this: unknown, ...args: unknown[]) => unknown

/** The lib files that load lazily, found from dockerode's own location (docker-modem may be nested or hoisted). */
export function lazyModulePaths(): string[] {
  const dockerodeMain = createRequire(import.meta.url).resolve('dockerode')
  const modemMain = createRequire(dockerodeMain).resolve('docker-modem')
  return [join(dirname(dockerodeMain), 'session.js'), join(dirname(modemMain), 'ssh.js')]
}

function standIn(req: NodeJS.Require, path: string): void {
  if (req.cache[path]) return
  let real: AnyFn | undefined
  const load = (): AnyFn => {
    if (!real) {
      delete req.cache[path]
      real = req(path) as AnyFn
    }
    return real
  }
  const lazy = function (this: unknown, ...args: unknown[]) {
    return load().apply(this, args)
  }
  // A minimal Module record: require() only reads `exports` and `loaded` from a cached entry.
  req.cache[path] = { id: path, filename: path, loaded: true, exports: lazy, children: [], paths: [] } as unknown as NodeJS.Module
}

let loaded: typeof DockerodeClass | undefined

/** dockerode, with its BuildKit session and ssh2 loading on first use. */
export function loadDockerode(): typeof DockerodeClass {
  if (loaded) return loaded
  const req = createRequire(import.meta.url)
  for (const path of lazyModulePaths()) standIn(req, path)
  loaded = req('dockerode') as typeof DockerodeClass
  return loaded
}
