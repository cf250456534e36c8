import { isGitRef, parseGitSource } from '../git-source.js'
import { controlCharacterIn, firstProblem, forbiddenCharacterIn, show } from './characters.js'

export const STACK_NAME = /^[a-z0-9][a-z0-9_.-]*$/
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
export const DOCKER_IMAGE =
  /^[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/
export const FILE_PATH = /^[A-Za-z0-9._/~+@-][A-Za-z0-9._/~+@ -]*$/
export const SINGLE_LINE = /^[^\u0000-\u001f\u007f]*$/
export const BUILTIN_NAME = /^[a-z0-9][a-z0-9_.-]*$/
export const RELATIVE_TOML = /^\.{1,2}\/[A-Za-z0-9._/-]*$|^[A-Za-z0-9_][A-Za-z0-9._/-]*\.toml$/

function shaped(kind: string, shape: RegExp, expected: string) {
  return (value: string): string | undefined => {
    const reason = firstProblem(
      () => controlCharacterIn(value),
      () => (shape.test(value) ? undefined : `is not ${expected}`),
    )
    return reason && `${kind} ${show(value)} ${reason}`
  }
}

export const checkStackName = shaped('name', STACK_NAME, 'lowercase letters, digits, and _ . - (starting with a letter or digit)')
export const checkEnvName = shaped('environment variable name', ENV_NAME, 'letters, digits and _ (not starting with a digit)')
export const checkDockerImage = shaped('image', DOCKER_IMAGE, 'an image reference such as "python:3.11-slim-bookworm"')
export const checkFilePath = shaped('path', FILE_PATH, 'a plain file path (letters, digits, . _ / ~ + @ - and spaces)')

/** `remote:` and an absolute path on the engine's host, with no `..` in it. */
export const REMOTE_WORKSPACE = /^remote:\/(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/~+@ -]*$/
export const checkRemoteWorkspace = shaped('workspace', REMOTE_WORKSPACE, '"remote:" and an absolute path on the engine\'s host without "..", e.g. "remote:/srv/me/project"')

/** Free text kept on one line (descriptions, env values, command arguments). */
export function checkSingleLine(value: string): string | undefined {
  const reason = controlCharacterIn(value)
  return reason && `value ${show(value)} ${reason}`
}

/**
 * A built-in stack name, a relative path to another stack file, or a git source (git+https://…#REF:path).
 * Absolute paths do not travel with a repository.
 */
export function checkExtendsRef(value: string): string | undefined {
  if (isGitRef(value)) {
    const src = parseGitSource(value)
    return 'problem' in src ? src.problem : undefined
  }
  const reason = firstProblem(
    () => controlCharacterIn(value),
    () => forbiddenCharacterIn(value),
    () => (value.startsWith('/') ? 'is an absolute path; use a path relative to this file' : undefined),
    () => (BUILTIN_NAME.test(value) || RELATIVE_TOML.test(value) ? undefined : 'is neither a built-in stack name nor a relative path such as "./base.toml"'),
  )
  return reason && `extends ${show(value)} ${reason}`
}
