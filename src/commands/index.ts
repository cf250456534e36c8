// Explicit command registry: oclif loads this one module instead of scanning a folder, which keeps
// `envctl --version` and `envctl ls` fast. Each command lazy-loads the service it needs.
import type { Command } from '@oclif/core'
import Init from './init.js'
import Stacks from './stacks.js'
import Build from './build.js'
import Dockerfile from './dockerfile.js'
import Lock from './lock.js'
import Resolve from './resolve.js'
import Up from './up.js'
import Doctor from './doctor.js'
import Shell from './shell.js'
import Exec from './exec.js'
import Ls from './ls.js'
import Logs from './logs.js'
import Stop from './stop.js'
import Down from './down.js'
import Prune from './prune.js'
import Outdated from './outdated.js'
import Config from './config.js'
import Notebook from './notebook.js'
import Url from './url.js'
import Forward from './forward.js'
import Export from './export.js'
import Completion from './completion.js'
import Sync from './sync.js'

export const COMMANDS: Record<string, Command.Class> = {
  shell: Shell,
  exec: Exec,
  ls: Ls,
  logs: Logs,
  stop: Stop,
  down: Down,
  sync: Sync,
  prune: Prune,
  build: Build,
  init: Init,
  stacks: Stacks,
  dockerfile: Dockerfile,
  export: Export,
  lock: Lock,
  outdated: Outdated,
  resolve: Resolve,
  up: Up,
  config: Config,
  notebook: Notebook,
  url: Url,
  forward: Forward,
  doctor: Doctor,
  completion: Completion,
}
