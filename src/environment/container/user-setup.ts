import type { Engine } from '../../engine/engine.js'
import { readOptional } from './read-optional.js'
import { ENV_HOME, shellFor, withGroup, withUser } from './passwd.js'

async function readText(engine: Engine, id: string, path: string): Promise<string> {
  return (await readOptional(engine, id, path))?.toString('utf8') ?? ''
}

/** Before first start: make the host uid:gid a named user with a home it owns, in this container only. */
export async function injectUser(engine: Engine, id: string, uid: number, gid: number): Promise<void> {
  if (uid === 0) return // root is root everywhere; its entry must stay as the image has it
  const [passwd, group, shells] = await Promise.all([readText(engine, id, '/etc/passwd'), readText(engine, id, '/etc/group'), readText(engine, id, '/etc/shells')])
  await engine.putFiles(id, '/etc', [
    { path: 'passwd', content: withUser(passwd, uid, gid, shellFor(shells || passwd)), mode: 0o644, uid: 0, gid: 0 },
    { path: 'group', content: withGroup(group, gid), mode: 0o644, uid: 0, gid: 0 },
  ])
  await engine.putFiles(id, ENV_HOME, [{ path: '.envctl', content: 'This home belongs to the envctl environment user.\n', mode: 0o644, uid, gid }])
}
