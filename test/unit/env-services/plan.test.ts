import { describe, expect, it } from 'vitest'
import { catalogEntryFor, loadServiceCatalog, repositoryOf } from '../../../src/env-services/catalog.js'
import { pinnedSpec, planServices } from '../../../src/env-services/plan.js'
import { envIdentity } from '../../../src/environment/identity.js'
import { LABEL } from '../../../src/environment/naming.js'
import type { ServiceSpec, StackSpec } from '../../../src/stack/types.js'
import { caught } from '../stack/helpers.js'

const id = envIdentity({ stack: 'shop', isProject: true, workspace: '/src/shop', uid: 1000 })
const catalog = loadServiceCatalog()

function stack(services: Record<string, ServiceSpec>): StackSpec {
  return { services, provenance: {} } as unknown as StackSpec
}

describe('service catalog', () => {
  it.each([
    ['postgres:16', 'postgres'],
    ['127.0.0.1:5000/library/postgres:16', 'library/postgres'],
    ['registry.example/team/app@sha256:abc', 'team/app'],
    ['docker.elastic.co/elasticsearch/elasticsearch:8.14.0', 'docker.elastic.co/elasticsearch/elasticsearch'],
    ['localhost/redis', 'redis'],
  ])('repository of %s is %s', (image, repo) => {
    expect(repositoryOf(image)).toBe(repo)
  })

  it('knows every service the seed runs, each with a data path, a health check and its source', () => {
    for (const kind of ['postgres', 'mysql', 'mariadb', 'redis', 'mongo', 'elasticsearch', 'opensearch', 'kibana', 'nginx', 'hbase']) {
      const entry = catalog.services[kind]
      expect(entry, kind).toBeDefined()
      expect(entry!.data, kind).toMatch(/^(\/|none$)/)
      expect(entry!.healthcheck.length, kind).toBeGreaterThan(0)
      expect(entry!.source, kind).toMatch(/^https:\/\//)
    }
  })

  it('matches images through a mirror and unknown images to nothing', () => {
    expect(catalogEntryFor(catalog, '127.0.0.1:5000/library/mysql:8.4')?.kind).toBe('mysql')
    expect(catalogEntryFor(catalog, 'opensearchproject/opensearch:2')?.kind).toBe('opensearch')
    expect(catalogEntryFor(catalog, 'python:3.11-slim-bookworm')).toBeNull()
  })
})

describe('planServices', () => {
  it('gives a catalog image its data volume, health check and default env without the user writing them', () => {
    const [db] = planServices(stack({ db: { image: 'postgres:16', env: { POSTGRES_DB: 'shop' } } }), id, catalog).services
    expect(db!.kind).toBe('postgres')
    expect(db!.volume).toBe(`${id.container}-db-data`)
    expect(db!.spec.mounts).toEqual([{ type: 'volume', source: db!.volume, target: '/var/lib/postgresql/data' }])
    expect(db!.health.command[0]).toBe('pg_isready')
    expect(db!.spec.env).toEqual({ POSTGRES_DB: 'shop' })
    expect(db!.spec.networkMode).toBe(`${id.container}-net`)
    expect(db!.spec.networkAliases).toEqual(['db'])
    expect(db!.spec.labels).toMatchObject({ [LABEL.service]: 'db', [LABEL.serviceOf]: id.key, [LABEL.managed]: '1' })
    expect(db!.spec.labels![LABEL.project]).toBeUndefined()
  })

  it('renders elasticsearch with single-node discovery and a longer wait', () => {
    const [es] = planServices(stack({ search: { image: 'elasticsearch:8.14.0' } }), id, catalog).services
    expect(es!.spec.env!['discovery.type']).toBe('single-node')
    expect(es!.health.timeoutS).toBe(180)
    expect(es!.health.command.join(' ')).toContain('_cluster/health')
    expect(es!.spec.ulimits).toEqual([{ name: 'memlock', soft: -1, hard: -1 }, { name: 'nofile', soft: 65536, hard: 65536 }])
  })

  it("takes the stack's limits over the catalog's, and a memory limit in bytes", () => {
    const [es] = planServices(stack({ search: { image: 'elasticsearch:8.14.0', ulimits: { nofile: 1024 }, memory: '1g' } }), id, catalog).services
    expect(es!.spec.ulimits).toContainEqual({ name: 'nofile', soft: 1024, hard: 1024 })
    expect(es!.spec.memoryBytes).toBe(1024 ** 3)
    const [r] = planServices(stack({ cache: { image: 'redis:7' } }), id, catalog).services
    expect([r!.spec.ulimits, r!.spec.memoryBytes]).toEqual([undefined, undefined])
  })

  it('lets the stack file replace the catalog: no data, its own check, published ports on 127.0.0.1', () => {
    const [r] = planServices(stack({ cache: { image: 'redis:7', data: 'none', ports: ['16379:6379'], healthcheck: { command: ['true'], timeout: 5 } } }), id, catalog).services
    expect(r!.volume).toBeNull()
    expect(r!.spec.mounts).toEqual([])
    expect(r!.health).toEqual({ command: ['true'], timeoutS: 5 })
    expect(r!.spec.ports).toEqual([{ containerPort: 6379, hostPort: 16379, protocol: 'tcp', hostIp: '127.0.0.1' }])
  })

  it("gives a service its generated secrets under the stack's own env, which wins", () => {
    const secrets = { db: { POSTGRES_PASSWORD: 'generated' } }
    const [db] = planServices(stack({ db: { image: 'postgres:16' } }), id, catalog, { secrets }).services
    expect(db!.spec.env).toEqual({ POSTGRES_DB: 'app', POSTGRES_PASSWORD: 'generated' })
    const [own] = planServices(stack({ db: { image: 'postgres:16', env: { POSTGRES_PASSWORD: 'mine' } } }), id, catalog, { secrets }).services
    expect(own!.spec.env!.POSTGRES_PASSWORD).toBe('mine')
  })

  it("takes envctl.lock's digest only while the stack names the image it was recorded for", () => {
    const locked = { db: { image: 'postgres:16', digest: `sha256:${'a'.repeat(64)}` } }
    expect(planServices(stack({ db: { image: 'postgres:16' } }), id, catalog, { locked }).services[0]!.digest).toBe(locked.db.digest)
    expect(planServices(stack({ db: { image: 'postgres:17' } }), id, catalog, { locked }).services[0]!.digest).toBeNull()
  })

  it('runs a pinned service by its digest, with a config hash that follows the digest', () => {
    const [db] = planServices(stack({ db: { image: 'postgres:16' } }), id, catalog).services
    const a = pinnedSpec(db!, `postgres@sha256:${'a'.repeat(64)}`)
    const b = pinnedSpec(db!, `postgres@sha256:${'b'.repeat(64)}`)
    expect(a.image).toBe(`postgres@sha256:${'a'.repeat(64)}`)
    expect(a.labels![LABEL.configHash]).not.toBe(b.labels![LABEL.configHash])
    expect(a.labels![LABEL.configHash]).not.toBe(db!.spec.labels![LABEL.configHash])
    expect(a.labels![LABEL.configHash]).toBe(pinnedSpec(db!, a.image).labels![LABEL.configHash])
  })

  it('orders services by depends_on, ties by name', () => {
    const plan = planServices(stack({ web: { image: 'nginx:1', dependsOn: ['api'] }, api: { image: 'x:1', dependsOn: ['db', 'cache'] }, db: { image: 'postgres:16' }, cache: { image: 'redis:7' } }), id, catalog)
    expect(plan.services.map((s) => s.name)).toEqual(['cache', 'db', 'api', 'web'])
  })

  it('changes the config hash when anything the service is made with changes', () => {
    const hash = (s: ServiceSpec) => planServices(stack({ db: s }), id, catalog).services[0]!.spec.labels![LABEL.configHash]
    expect(hash({ image: 'postgres:16' })).toBe(hash({ image: 'postgres:16' }))
    expect(hash({ image: 'postgres:16' })).not.toBe(hash({ image: 'postgres:15' }))
    expect(hash({ image: 'postgres:16' })).not.toBe(hash({ image: 'postgres:16', env: { X: '1' } }))
  })

  it('rejects unknown dependencies, cycles and services without an image as INVALID_STACK', () => {
    expect(caught(() => planServices(stack({ a: { image: 'x', dependsOn: ['nope'] } }), id, catalog)).problems[0]!.message).toContain('`nope`')
    expect(caught(() => planServices(stack({ a: { image: 'x', dependsOn: ['b'] }, b: { image: 'y', dependsOn: ['a'] } }), id, catalog)).message).toMatch(/cycle: a → b → a/)
    const err = caught(() => planServices(stack({ a: {} }), id, catalog))
    expect([err.code, err.problems[0]!.message]).toEqual(['INVALID_STACK', 'services.a has no image'])
  })
})

describe('connection variables', () => {
  it('renders what the environment needs to reach each catalog service, by its name', () => {
    const plan = planServices(stack({ db: { image: 'postgres:16', env: { POSTGRES_DB: 'shop' } }, cache: { image: 'redis:7' }, web: { image: 'python:3.11' } }), id, catalog)
    expect(plan.connect).toEqual({ PGHOST: 'db', PGUSER: 'postgres', PGDATABASE: 'shop', REDIS_URL: 'redis://cache:6379' })
    const secrets = { db: { POSTGRES_PASSWORD: 'gen' } }
    const withPassword = planServices(stack({ db: { image: 'postgres:16', env: { POSTGRES_DB: 'shop' } } }), id, catalog, { secrets })
    expect(withPassword.connect).toMatchObject({ DATABASE_URL: 'postgresql://postgres:gen@db:5432/shop', PGPASSWORD: 'gen' })
    expect(plan.services.find((s) => s.name === 'web')!.connect).toEqual({})
  })

  it('leaves out a variable whose value the service does not set, and lets the first service in order win', () => {
    const plan = planServices(stack({ a: { image: 'mysql:8.4', env: { MYSQL_ROOT_PASSWORD: 'x' } }, b: { image: 'mariadb:11' } }), id, catalog)
    expect(plan.connect.DATABASE_URL).toBe('mysql://root:x@a:3306/app')
    const bare = planServices(stack({ db: { image: 'mysql:8.4' } }), id, { services: { mysql: { ...catalog.services.mysql!, env: {} } } })
    expect(bare.connect).toEqual({ MYSQL_HOST: 'db', MYSQL_PORT: '3306', MYSQL_USER: 'root' })
  })
})
