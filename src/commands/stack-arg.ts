import { Args } from '@oclif/core'

/** The optional STACK every planning command takes. Never read from stdin: a pipe is not a stack. */
export const stackArg = Args.string({ ignoreStdin: true, description: 'Built-in stack name, stack file, or folder with envctl.toml (default: ./envctl.toml).' })
