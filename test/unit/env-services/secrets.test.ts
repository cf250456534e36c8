import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadServiceCatalog } from '../../../src/env-services/catalog.js'
import { completeSecrets, secretsWanted } from '../../../src/env-services/secrets.js'
import { generatePassword, readSecrets, removeSecrets, secretsFilePath } from '../../../src/env-services/secret-store.js'
import { keepServiceSecrets, loadServiceSecrets } from '../../../src/env-services/service-secrets.js'
import type { ServiceSpec, StackSpec } from '../../../src/stack/types.js'
import { EnvctlError } from '../../../src/errors/envctl-error.js'

const catalog = loadServiceCatalog()
const stack = (services: Record<string, ServiceSpec>) => ({ services, provenance: {} }) as unknown as StackSpec

describe('secretsWanted', () => {
  it("asks for every catalog password the stack does not set, none for images without one", () => {
    const spec = stack({ db: { image: 'postgres:16' }, my: { image: 'mysql:8.4', env: { MYSQL_ROOT_PASSWORD: 'own' } }, maria: { image: 'mariadb:10.11' }, cache: { image: 'redis:7' }, x: { image: 'python:3.11' } })
    expect(secretsWanted(spec, catalog)).toEqual({ db: ['POSTGRES_PASSWORD'], maria: ['MARIADB_ROOT_PASSWORD'] })
  })

  it('never ships a fixed password in the catalog', () => {
    for (const [kind, entry] of Object.entries(catalog.services)) {
      for (const [name, value] of Object.entries(entry.env)) expect(`${kind} ${name}=${value}`).not.toMatch(/PASSWORD=/)
    }
  })
})

describe('completeSecrets', () => {
  it('keeps what an earlier up made and generates only the missing ones', () => {
    let n = 0
    const r = completeSecrets({ db: { POSTGRES_PASSWORD: 'kept' } }, { db: ['POSTGRES_PASSWORD'], my: ['MYSQL_ROOT_PASSWORD'] }, () => `new${++n}`)
    expect(r).toEqual({ values: { db: { POSTGRES_PASSWORD: 'kept' }, my: { MYSQL_ROOT_PASSWORD: 'new1' } }, generated: true })
    expect(completeSecrets(r.values, { db: ['POSTGRES_PASSWORD'] }, () => 'never').generated).toBe(false)
  })

  it('generates long URL-safe passwords that differ', () => {
    const a = generatePassword()
    expect(a).toMatch(/^[A-Za-z0-9_-]{24}$/)
    expect(generatePassword()).not.toBe(a)
  })
})

describe('the secrets file', () => {
  it('is written 0600 in a 0700 folder on first up, read back on the next, and removed', async () => {
    const state = await mkdtemp(join(tmpdir(), 'envctl-secrets-'))
    const spec = stack({ db: { image: 'postgres:16' } })
    const first = await loadServiceSecrets(spec, catalog, state, 'envctl-shop-1')
    expect([first.generated, first.existed]).toEqual([true, false])
    const path = secretsFilePath(state, 'envctl-shop-1')
    expect(await keepServiceSecrets(first)).toBe(path)
    expect((await stat(path)).mode & 0o777).toBe(0o600)
    expect((await stat(dirname(path))).mode & 0o777).toBe(0o700)
    const second = await loadServiceSecrets(spec, catalog, state, 'envctl-shop-1')
    expect([second.values, second.generated, second.existed]).toEqual([first.values, false, true])
    expect(await keepServiceSecrets(second)).toBeNull()
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(first.values)
    expect(await removeSecrets(path)).toBe(true)
    expect(await removeSecrets(path)).toBe(false)
  })

  it('is not kept without a state folder, and a damaged one is an error naming it', async () => {
    const none = await loadServiceSecrets(stack({ db: { image: 'postgres:16' } }), catalog, undefined, 'c')
    expect([none.path, await keepServiceSecrets(none)]).toEqual([null, null])
    const state = await mkdtemp(join(tmpdir(), 'envctl-secrets-'))
    const path = secretsFilePath(state, 'c')
    await keepServiceSecrets(await loadServiceSecrets(stack({ db: { image: 'postgres:16' } }), catalog, state, 'c'))
    await writeFile(path, 'not json')
    const err = await readSecrets(path).then(() => null, (e: unknown) => e)
    expect(err).toBeInstanceOf(EnvctlError)
    expect((err as EnvctlError).message).toContain(path)
  })
})
