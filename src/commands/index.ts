// Explicit command registry: oclif loads this one module instead of scanning a folder, which keeps
// `envctl --version` and `envctl ls` fast. Each command lazy-loads the service it needs.
import type { Command } from '@oclif/core'

export const COMMANDS: Record<string, Command.Class> = {}
