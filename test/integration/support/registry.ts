/**
 * Images that only the local registry mirror has: a test that pulls one proves the pull went through the
 * mirror (Docker Hub is unreachable, and the tag is new, so neither it nor the engine's store can serve it).
 */
import Docker from 'dockerode'
import { testMirrors } from './cleanup.js'

async function follow(stream: NodeJS.ReadableStream, docker: Docker): Promise<void> {
  const events = await new Promise<Array<{ error?: string }>>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: Array<{ error?: string }>) => (err ? reject(err) : resolve(out))),
  )
  const failed = events.find((e) => e.error)
  if (failed) throw new Error(failed.error)
}

/**
 * Pushes the local image `source` to the mirror as the Docker Hub name `library/<repo>:<tag>` and leaves no
 * local copy under that name; returns `<repo>:<tag>`. Use a tag unique to the test run. The registry keeps
 * the tag (deleting its manifest would also delete every other tag of the same image, such as `source`'s).
 */
export async function onlyInMirror(source: string, repo: string, tag: string, docker = new Docker()): Promise<string> {
  const registryRepo = `${testMirrors().registry}/library/${repo}`
  await docker.getImage(source).tag({ repo: registryRepo, tag })
  // The engine API insists on an X-Registry-Auth header for pushes, even to a registry without auth.
  await follow(await docker.getImage(`${registryRepo}:${tag}`).push({ authconfig: { serveraddress: testMirrors().registry } }), docker)
  await docker.getImage(`${registryRepo}:${tag}`).remove()
  const ref = `${repo}:${tag}`
  const local = await docker.getImage(ref).inspect().then(() => true, () => false)
  if (local) throw new Error(`${ref} is still in the engine's image store, so a pull of it would prove nothing`)
  return ref
}

/** Pulls `ref` with dockerode, failing on an in-band error. */
export async function pull(ref: string, docker = new Docker()): Promise<void> {
  await follow(await docker.pull(ref), docker)
}
