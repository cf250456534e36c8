/**
 * The container runs as the host user's uid:gid, which the image does not know. Rather than build an image
 * per user (devcontainers' updateUID) or start as root and drop privileges, envctl writes a passwd and group
 * entry into the created container before it starts: same image for every uid, nothing privileged.
 */
export const ENV_USER = 'envctl'
export const ENV_HOME = '/home/envctl'

function lines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '')
}

/** passwd without any entry for this uid or our user name, plus ours. */
export function withUser(passwd: string, uid: number, gid: number, shell: string): string {
  const kept = lines(passwd).filter((l) => {
    const [name, , id] = l.split(':')
    return name !== ENV_USER && Number(id) !== uid
  })
  return [...kept, `${ENV_USER}:x:${uid}:${gid}:envctl user:${ENV_HOME}:${shell}`].join('\n') + '\n'
}

/** group with our gid present (an existing group of that gid is kept and gains the user). */
export function withGroup(group: string, gid: number): string {
  const all = lines(group)
  const idx = all.findIndex((l) => Number(l.split(':')[2]) === gid)
  if (idx >= 0) {
    const [name, pw, id, members] = all[idx].split(':')
    const list = new Set((members ?? '').split(',').filter(Boolean))
    list.add(ENV_USER)
    all[idx] = [name, pw, id, [...list].join(',')].join(':')
    return all.join('\n') + '\n'
  }
  const kept = all.filter((l) => l.split(':')[0] !== ENV_USER)
  return [...kept, `${ENV_USER}:x:${gid}:`].join('\n') + '\n'
}

export function shellFor(passwdOrShells: string): string {
  return passwdOrShells.includes('/bin/bash') ? '/bin/bash' : '/bin/sh'
}
