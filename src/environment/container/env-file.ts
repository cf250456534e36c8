import { ENV_HOME } from './passwd.js'

/**
 * Variables that carry a credential (a proxy with user:password) cannot be container env: `docker inspect`
 * shows Config.Env to anyone who can reach the engine. They live in this 0600 file of the user's instead
 * (credential-files.ts), and every `envctl exec` and `envctl shell` loads it before running the command.
 */
export const ENV_FILE_DIR = `${ENV_HOME}/.config/envctl`
export const ENV_FILE = `${ENV_FILE_DIR}/env`

/** sh reads the file (when there is one and the user can read it), then becomes the command: same argv, exit code, tty. */
const LOADER = `[ ! -r ${ENV_FILE} ] || . ${ENV_FILE}; exec "$@"`

export function withEnvFile(cmd: string[]): string[] {
  return ['/bin/sh', '-c', LOADER, 'envctl', ...cmd]
}

/** One line per variable; a value given with `envctl exec -e` (already set) wins over the file's. */
export function envFileText(vars: Record<string, string>): string {
  const quote = (v: string) => `'${v.replace(/'/g, `'\\''`)}'`
  return Object.entries(vars).map(([k, v]) => `[ -n "\${${k}+x}" ] || export ${k}=${quote(v)}\n`).join('')
}
