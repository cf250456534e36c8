/**
 * Workspaces and the user the CLI runs as. Integration tests check that what a container writes into the
 * workspace belongs to the invoking user, so under root (CI) everything runs as an unprivileged account:
 * `envctl-ci`, uid 1500, which .ci/setup.sh creates and adds to the docker group.
 */
import { readFileSync } from 'node:fs'
import { chown, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir, userInfo } from 'node:os'
import { dirname, join, resolve, sep } from 'node:path'
import { WORKSPACE_PREFIX } from './cleanup.js'

export interface TestUser {
  readonly name: string
  readonly uid: number
  readonly gid: number
  readonly home: string
  /** HOME, USER and LOGNAME for a process running as this user. */
  readonly env: Readonly<Record<string, string>>
}

export interface Workspace {
  readonly dir: string
  readonly user: TestUser
  path(rel: string): string
  read(rel: string): Promise<string>
  /** Owner of a file or folder inside the workspace. */
  owner(rel: string): Promise<{ uid: number; gid: number }>
  remove(): Promise<void>
}

const isRoot = () => process.getuid?.() === 0

function userFromPasswd(name: string): TestUser {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`))
  if (!line) throw new Error(`user ${name} does not exist; run \`bash .ci/setup.sh\` as root to create it`)
  const [, , uid, gid, , home] = line.split(':')
  return withEnv({ name, uid: Number(uid), gid: Number(gid), home })
}

function withEnv(u: Omit<TestUser, 'env'>): TestUser {
  return { ...u, env: { HOME: u.home, USER: u.name, LOGNAME: u.name } }
}

/**
 * The unprivileged user tests run the CLI as: `envctl-ci` (or ENVCTL_TEST_USER) when this process is
 * root, otherwise the current user.
 */
export function asUser(): TestUser {
  if (isRoot()) return userFromPasswd(process.env.ENVCTL_TEST_USER ?? 'envctl-ci')
  const me = userInfo()
  return withEnv({ name: me.username, uid: me.uid, gid: me.gid, home: me.homedir })
}

/**
 * A second unprivileged user with another uid (`envctl-ci2`, uid 1501, or ENVCTL_TEST_USER2), for tests
 * that compare what two users get. Null when this process is not root and so cannot switch users.
 */
export function secondUser(): TestUser | null {
  return isRoot() ? userFromPasswd(process.env.ENVCTL_TEST_USER2 ?? 'envctl-ci2') : null
}

/**
 * A temporary folder (under os.tmpdir()) holding `files` (relative path → contents), owned by `user`
 * (default asUser()) so that the CLI and its containers can write there as that user.
 */
export async function makeWorkspace(files: Record<string, string> = {}, user = asUser()): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), WORKSPACE_PREFIX))
  for (const [rel, contents] of Object.entries(files)) {
    const file = inside(dir, rel)
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, contents)
  }
  if (isRoot()) await chownTree(dir, user.uid, user.gid)
  return {
    dir,
    user,
    path: (rel) => inside(dir, rel),
    read: (rel) => readFile(inside(dir, rel), 'utf8'),
    owner: async (rel) => {
      const s = await stat(inside(dir, rel))
      return { uid: s.uid, gid: s.gid }
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  }
}

function inside(dir: string, rel: string): string {
  const file = resolve(dir, rel)
  if (file !== dir && !file.startsWith(dir + sep)) throw new Error(`workspace path ${rel} leaves ${dir}`)
  return file
}

async function chownTree(path: string, uid: number, gid: number): Promise<void> {
  await chown(path, uid, gid)
  for (const entry of await readdir(path, { withFileTypes: true })) {
    const child = join(path, entry.name)
    if (entry.isDirectory()) await chownTree(child, uid, gid)
    else await chown(child, uid, gid)
  }
}
