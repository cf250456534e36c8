/**
 * Whether the unprivileged user the integration tests run the CLI as can read the checkout. Under root the
 * CLI runs as envctl-ci; a clone inside a 0700 folder (/root/src/envctl) would fail every test with EACCES.
 */
import { spawnSync } from 'node:child_process'
import { realpathSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'

export interface CheckUser {
  readonly name: string
  readonly uid: number
  readonly gid: number
}

/** What the CLI reads at start: its entry, package.json (oclif), the build, the data and its dependencies. */
export const CLI_PATHS = ['package.json', 'bin/run.js', 'dist', 'data', 'stacks', 'node_modules/@oclif/core/package.json']

// Runs as `user`: each path must be readable, and a folder also searchable. Prints the first that is not.
const PROBE = `const fs = require('node:fs')
for (const p of process.argv.slice(1)) {
  try { fs.accessSync(p, fs.statSync(p).isDirectory() ? fs.constants.R_OK | fs.constants.X_OK : fs.constants.R_OK) }
  catch (e) { if (e.code !== 'ENOENT' || p === process.argv[1]) { console.error(p + ': ' + e.code); process.exit(1) } }
}`

/**
 * Undefined when `user` can read every one of `paths` under `checkout`; otherwise one message naming the
 * first unreadable path, the folders on the way that others cannot enter, and the two fixes.
 * Switching user needs root; otherwise the probe runs as this process's user.
 */
export function checkoutUnreadable(checkout: string, user: CheckUser, paths: readonly string[] = CLI_PATHS): string | undefined {
  const files = [checkout, ...paths.map((p) => join(checkout, p))]
  const argv = [process.execPath, '-e', PROBE, ...files]
  const switching = process.getuid?.() === 0 && user.uid !== 0
  const [cmd, args] = switching ? ['setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', '--', ...argv]] : [argv[0], argv.slice(1)]
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd: '/' })
  if (r.status === 0) return undefined
  const what = r.error ? `cannot start ${cmd}: ${r.error.message}` : (r.stderr.trim().split('\n').at(-1) ?? `exit ${r.status}`)
  const closed = closedFolders(checkout)
  return [
    `${user.name} (uid ${user.uid}), the user the integration tests run the CLI as, cannot read the checkout at ${checkout}: ${what}`,
    'fix: clone the repository where every user can read it (e.g. under /srv or /opt, not inside /root or a 0700 home folder)',
    closed.length > 0 ? `     or open the folders on the way: chmod o+x ${closed.join(' ')} (and chmod -R o+rX ${checkout})` : `     or make it readable: chmod -R o+rX ${checkout}`,
  ].join('\n')
}

/** The checkout's ancestors that others may not enter: the usual cause. */
function closedFolders(checkout: string): string[] {
  const closed: string[] = []
  for (let dir = dirname(realOrAsGiven(checkout)); ; dir = dirname(dir)) {
    if (othersMayEnter(dir) === false) closed.unshift(dir)
    if (dir === dirname(dir)) return closed
  }
}

// This process may be as shut out as the test user (not root): then the path stays as given.
function realOrAsGiven(path: string): string {
  try {
    return realpathSync(path)
  } catch {
    return resolve(path)
  }
}

/** Undefined when a closed folder above hides it. */
function othersMayEnter(dir: string): boolean | undefined {
  try {
    return (statSync(dir).mode & 0o001) !== 0
  } catch {
    return undefined
  }
}
