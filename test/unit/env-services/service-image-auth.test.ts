import { describe, expect, it } from 'vitest'
import type { Engine, PullOptions } from '../../../src/engine/engine.js'
import { pullFailed } from '../../../src/engine/pull-stream.js'
import type { CredentialsFor } from '../../../src/engine/docker-config-file.js'
import { ensureServiceImage } from '../../../src/env-services/ensure-image.js'
import { EnvctlError } from '../../../src/errors/envctl-error.js'

/** The three engine calls a service pull makes, recorded; `refuse` makes the registry answer 401. */
function engine(opts: { refuse?: boolean } = {}) {
  const pulls: Array<{ ref: string; auth: PullOptions['auth'] }> = []
  const tags: string[][] = []
  const e = {
    imageExists: async () => false,
    tagImage: async (from: string, to: string) => void tags.push([from, to]),
    pullImage: async (ref: string, o: PullOptions = {}) => {
      pulls.push({ ref, auth: o.auth })
      if (opts.refuse) throw pullFailed(ref, 'unauthorized: authentication required')
    },
    inspectImage: async () => ({ id: 'sha256:x', repoDigests: [] }),
  }
  return { engine: e as unknown as Engine, pulls, tags }
}
const byTag = (image: string) => ({ image, digest: null })

const fromHelper: CredentialsFor = async (ref) => ({ auth: { serveraddress: ref.split('/')[0]!, username: 'ada', password: 'pw' }, helper: 'envctltest' })

describe('service images are pulled with the Docker config credentials', () => {
  it('asks for the credentials of the registry the image is pulled from, the mirror when there is one', async () => {
    const e = engine()
    await ensureServiceImage(e.engine, byTag('ghcr.io/acme/db:1'), { engineMirrors: [], credentials: fromHelper })
    await ensureServiceImage(e.engine, byTag('postgres:16'), { registry: 'mirror.example:5000', engineMirrors: [], credentials: fromHelper })
    expect(e.pulls).toEqual([
      { ref: 'ghcr.io/acme/db:1', auth: { serveraddress: 'ghcr.io', username: 'ada', password: 'pw' } },
      { ref: 'mirror.example:5000/library/postgres:16', auth: { serveraddress: 'mirror.example:5000', username: 'ada', password: 'pw' } },
    ])
    expect(e.tags).toEqual([['mirror.example:5000/library/postgres:16', 'postgres:16']])
  })

  it('a refusal names the service image and the helper that gave the credentials', async () => {
    const err = await ensureServiceImage(engine({ refuse: true }).engine, byTag('ghcr.io/acme/db:1'), { engineMirrors: [], credentials: fromHelper }).then(() => undefined, (e: unknown) => e)
    expect(err).toBeInstanceOf(EnvctlError)
    expect((err as EnvctlError).message).toMatch(/^service image ghcr\.io\/acme\/db:1: cannot pull ghcr\.io\/acme\/db:1: the registry refused access/)
    expect((err as EnvctlError).hint).toBe('the registry refused the credentials the credential helper "envctltest" gave for ghcr.io: run `docker login ghcr.io` to store valid ones')
  })

  it('without credentials a refusal says how to provide them', async () => {
    const err = await ensureServiceImage(engine({ refuse: true }).engine, byTag('ghcr.io/acme/db:1'), { engineMirrors: [] }).then(() => undefined, (e: unknown) => e)
    expect((err as EnvctlError).hint).toMatch(/ghcr\.io wants credentials: run `docker login ghcr\.io` \(envctl uses the Docker config's "auths", credsStore and credHelpers\)/)
  })
})
