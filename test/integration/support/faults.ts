/**
 * Helpers for fault tests (test/integration/faults-*.test.ts): what a previous environment looked like, so an
 * interrupted replacement can be shown to have left it exactly as it was, and the engine's create events.
 */
import type { Readable } from 'node:stream'
import type Docker from 'dockerode'
import { expect } from 'vitest'

/** What must not change about a container that an interrupted or failed `up` was about to replace. */
export interface ContainerSnapshot {
  id: string
  name: string
  image: string
  labels: Record<string, string>
  ports: unknown
  startedAt: string
  running: boolean
}

export async function containerSnapshot(docker: Docker, id: string): Promise<ContainerSnapshot> {
  const i = await docker.getContainer(id).inspect()
  return { id: i.Id, name: i.Name, image: i.Image, labels: i.Config.Labels, ports: i.HostConfig.PortBindings, startedAt: i.State.StartedAt, running: i.State.Running }
}

/** The container `before` names is exactly as it was (same id, config, start time, still running), and the engine has no other. */
export async function expectOnly(docker: Docker, before: ContainerSnapshot): Promise<void> {
  const all = (await docker.listContainers({ all: true })).map((c) => `${c.Id} ${c.Names[0]} ${c.State}`)
  expect(all, 'the previous container, and no other').toEqual([`${before.id} ${before.name} running`])
  expect(await containerSnapshot(docker, before.id)).toEqual(before)
}

/**
 * Resolves with the id of the next environment container the engine creates (labelled dev.envctl.managed,
 * unlike the short-lived probe that records envctl.lock); call it before starting the CLI.
 */
export async function nextCreate(docker: Docker): Promise<{ created: Promise<string>; close(): void }> {
  const filters = { type: ['container'], event: ['create'], label: ['dev.envctl.managed=1'] }
  const stream = (await docker.getEvents({ filters: JSON.stringify(filters) })) as unknown as Readable
  const created = new Promise<string>((resolve, reject) => {
    stream.once('data', (chunk: Buffer) => resolve((JSON.parse(chunk.toString('utf8').split('\n')[0]!) as { id: string }).id))
    stream.once('error', reject)
  })
  return { created, close: () => stream.destroy() }
}

/** Envctl's errors are one block with a fix, never a stack trace. */
export function expectNoStackTrace(text: string): void {
  expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/)
}

/** Tags on the engine, each with its image id: what "no new tag, the previous image untouched" compares. */
export async function tagMap(docker: Docker): Promise<Record<string, string>> {
  const images = await docker.listImages()
  return Object.fromEntries(images.flatMap((i) => (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>').map((t) => [t, i.Id])))
}

export async function danglingImages(docker: Docker): Promise<string[]> {
  return (await docker.listImages({ filters: JSON.stringify({ dangling: ['true'] }) })).map((i) => i.Id).sort()
}
