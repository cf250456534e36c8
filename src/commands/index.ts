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

export const COMMANDS: Record<string, Command.Class> = {
  build: Build,
  init: Init,
  stacks: Stacks,
  dockerfile: Dockerfile,
  lock: Lock,
  resolve: Resolve,
  up: Up,
  doctor: Doctor,}
