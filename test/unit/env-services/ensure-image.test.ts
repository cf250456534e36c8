import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { dockerCredentials } from '../../../src/engine/docker-config-file.js'
import type { Engine, PullOptions } from '../../../src/engine/engine.js'
import { digestRef, ensureServiceImage } from '../../../src/env-services/ensure-image.js'

const D = `sha256:${'d'.repeat(64)}`

/** An engine that has `images` (ref → RepoDigests) and records pulls and tags; a pull adds the ref's digest. */
function fakeEngine(images: Record<string, string[]>) {
  const pulls: Array<{ ref: string; auth: unknown }> = []
  const tags: string[] = []
  const e = {
    imageExists: async (ref: string) => ref in images || Object.values(images).some((ds) => ds.includes(ref)),
    pullImage: async (ref: string, o?: PullOptions) => {
      pulls.push({ ref, auth: o?.auth })
      images[ref] = ref.includes('@') ? [ref] : [`${ref.split(':').slice(0, -1).join(':')}@${D}`]
    },
    tagImage: async (from: string, to: string) => {
      tags.push(`${from} -> ${to}`)
      images[to] = images[from]!
    },
    inspectImage: async (ref: string) => ({ id: 'sha256:x', repoDigests: images[ref] ?? [] }),
  }
  return { engine: e as unknown as Engine, pulls, tags }
}

describe('ensureServiceImage', () => {
  it('runs a locked digest: pulled by digest when missing, the tag never consulted', async () => {
    const { engine, pulls } = fakeEngine({ 'postgres:16': [`postgres@sha256:${'0'.repeat(64)}`] })
    expect(await ensureServiceImage(engine, { image: 'postgres:16', digest: D }, { engineMirrors: [] })).toEqual({ ref: `postgres@${D}`, digest: D })
    expect(pulls.map((p) => p.ref)).toEqual([`postgres@${D}`])
  })

  it('takes a locked digest through [mirrors] registry, as the base image', async () => {
    const { engine, pulls } = fakeEngine({})
    const got = await ensureServiceImage(engine, { image: 'postgres:16', digest: D }, { registry: 'http://mirror.example:5000', engineMirrors: [] })
    expect(got.ref).toBe(`mirror.example:5000/library/postgres@${D}`)
    expect(pulls.map((p) => p.ref)).toEqual([got.ref])
    expect(digestRef('team/app:1', D)).toBe(`team/app@${D}`)
  })

  it('pulls an unlocked tag through the mirror, tags it with its own name, and runs the digest the registry gave', async () => {
    const { engine, pulls, tags } = fakeEngine({})
    const got = await ensureServiceImage(engine, { image: 'redis:7', digest: null }, { registry: 'mirror.example:5000', engineMirrors: [] })
    expect(pulls.map((p) => p.ref)).toEqual(['mirror.example:5000/library/redis:7'])
    expect(tags).toEqual(['mirror.example:5000/library/redis:7 -> redis:7'])
    expect(got).toEqual({ ref: `mirror.example:5000/library/redis@${D}`, digest: D })
  })

  it('runs a local image without a registry digest by its tag, unpinned', async () => {
    const { engine, pulls } = fakeEngine({ 'mine:1': [] })
    expect(await ensureServiceImage(engine, { image: 'mine:1', digest: null }, { engineMirrors: [] })).toEqual({ ref: 'mine:1', digest: null })
    expect(pulls).toEqual([])
  })

  it("pulls with the user's `docker login` credentials for that registry", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'envctl-dockercfg-'))
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { 'registry.example': { auth: Buffer.from('ada:s3cret').toString('base64') } } }))
    const { engine, pulls } = fakeEngine({})
    await ensureServiceImage(engine, { image: 'registry.example/team/db:1', digest: D }, { engineMirrors: [], credentials: dockerCredentials(dir) })
    expect(pulls[0]).toMatchObject({ ref: `registry.example/team/db@${D}`, auth: expect.objectContaining({ username: 'ada', password: 's3cret' }) })
  })
})
