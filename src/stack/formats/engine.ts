import { controlCharacterIn, firstProblem, show } from './characters.js'

/** What DOCKER_HOST accepts: unix:// and npipe:// sockets, tcp:// (http/https), ssh://[user@]host[:port]. Published for editors. */
export const DOCKER_HOST = /^(?:(?:unix|npipe):\/\/\/?[^\s]+|(?:tcp|http|https|ssh):\/\/[^\s/?#]+\/?)$/
/** Docker context names (docker/cli's restrictedNamePattern). */
export const DOCKER_CONTEXT = /^[a-zA-Z0-9][a-zA-Z0-9_.+-]*$/

function hostProblem(value: string): string | undefined {
  if (!DOCKER_HOST.test(value)) return 'is not an address such as unix:///var/run/docker.sock, tcp://host:2376 or ssh://host (a user and port may go with ssh)'
  if (/^(unix|npipe):/.test(value)) return undefined
  return URL.canParse(value) && new URL(value).hostname ? undefined : 'names no valid host'
}

export function checkDockerHost(value: string): string | undefined {
  const reason = firstProblem(() => controlCharacterIn(value), () => hostProblem(value))
  return reason && `engine host ${show(value)} ${reason}`
}

export function checkDockerContext(value: string): string | undefined {
  const reason = firstProblem(() => controlCharacterIn(value), () => (DOCKER_CONTEXT.test(value) ? undefined : 'is not a Docker context name (letters, digits and _ . + -, as `docker context ls` shows them)'))
  return reason && `context ${show(value)} ${reason}`
}
