import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet'
import { Service } from 'kubernetes-models/v1/Service'
import type { IStatefulSet } from 'kubernetes-models/apps/v1'
import type { IService } from 'kubernetes-models/v1'
import { plan } from '../../../src/project/plan.js'
import { exportEnvironment, type ExportRequest } from '../../../src/export/export.js'
import { exportPlan } from '../../../src/export/export-plan.js'
import { k8sObjects } from '../../../src/export/k8s.js'
import { cpuHost, failure } from '../../support/spec.js'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function project(services: string, env = ''): string {
  const dir = mkdtempSync(join(tmpdir(), 'envctl-export-svc-'))
  dirs.push(dir)
  writeFileSync(join(dir, 'envctl.toml'), `name = "app"\nextends = "node"\n[node]\nversion = "20"\n[gpu]\nmode = "none"\n${env}\n${services}`)
  return dir
}

function exported(dir: string, kind: ExportRequest['kind'], output: string | null = null) {
  return exportEnvironment(plan({ ref: undefined, cwd: dir, host: cpuHost }), { kind, cwd: dir, output, workspace: dir, uid: 1000, gid: 1000 })
}

const MYSQL = '[services.db]\nimage = "mysql:8.4"\nenv = { MYSQL_DATABASE = "shop" }\n'

describe('compose with services', () => {
  it('each service is a Compose service with its catalog health check, data volume and env; the environment waits for it healthy', () => {
    const text = exported(project(`${MYSQL}[services.cache]\nimage = "redis:7"\n`, '[env]\nMYSQL_HOST = "db"\n'), 'compose').content
    expect(text).toMatch(/ {2}db:\n {4}image: "mysql:8.4"\n {4}init: true\n {4}environment:\n {6}MYSQL_DATABASE: "shop"\n {6}MYSQL_ROOT_PASSWORD: "\$\{DB_MYSQL_ROOT_PASSWORD:\?[^"}]+\}"\n {4}volumes:\n {6}- type: "volume"\n {8}source: "db-data"\n {8}target: "\/var\/lib\/mysql"\n {4}healthcheck:\n {6}test:\n {8}- "CMD"\n {8}- "mysqladmin"/)
    expect(text).toMatch(/ {4}depends_on:\n {6}cache:\n {8}condition: "service_healthy"\n {6}db:\n {8}condition: "service_healthy"\n/)
    // Connection variables from the catalog, host = the service's name; the stack's own MYSQL_HOST is not repeated.
    expect(text).toMatch(/DATABASE_URL: "mysql:\/\/root:\$\{DB_MYSQL_ROOT_PASSWORD:\?[^"}]+\}@db:3306\/shop"/)
    expect(text).toContain('REDIS_URL: "redis://cache:6379"')
    expect(text.match(/MYSQL_HOST/g)).toBeNull()
    expect(text).toMatch(/\nvolumes:\n(.|\n)*db-data: \{\}\n(.|\n)*cache-data: \{\}|\nvolumes:\n(.|\n)*cache-data: \{\}\n(.|\n)*db-data: \{\}/)
    // No port is published unless the stack asks.
    expect(text).not.toMatch(/3306\/tcp/)
  })

  it('ports are opt-in on 127.0.0.1; memory, ulimits, command and depends_on between services carry over', () => {
    const services = `${MYSQL}ports = ["13306:3306"]\nmemory = "1g"\nulimits = { nofile = 4096 }\n[services.worker]\nimage = "redis:7"\ncommand = ["redis-server", "--save", ""]\ndepends_on = ["db"]\n`
    const text = exported(project(services), 'compose').content
    expect(text).toContain('- "127.0.0.1:13306:3306/tcp"')
    expect(text).toContain('mem_limit: 1073741824')
    expect(text).toMatch(/ulimits:\n {6}nofile:\n {8}soft: 4096\n {8}hard: 4096/)
    expect(text).toMatch(/command:\n {6}- "redis-server"\n {6}- "--save"\n {6}- ""/)
    expect(text).toMatch(/ {2}worker:\n(.|\n)*? {4}depends_on:\n {6}db:\n {8}condition: "service_healthy"/)
  })

  it('a service without a health check is waited for only until started, with a warning', () => {
    const r = exported(project('[services.web]\nimage = "python:3.11-slim"\ncommand = ["python3", "-m", "http.server"]\n'), 'compose')
    expect(r.content).toMatch(/web:\n {8}condition: "service_started"/)
    expect(r.content).not.toContain('healthcheck')
    expect(r.warnings.join('\n')).toMatch(/web: no health check/)
  })

  it('a service with the environment\'s own name is refused', () => {
    const err = failure(() => exported(project('[services.app]\nimage = "redis:7"\n'), 'compose'))
    expect(err).toMatchObject({ code: 'INVALID_STACK', message: expect.stringMatching(/services\.app has the environment's own name/) })
  })
})

describe('devcontainer with services', () => {
  it('names the Compose file beside it, the environment as its service, and writes both', () => {
    const dir = project(MYSQL)
    const r = exported(dir, 'devcontainer', '.devcontainer/devcontainer.json')
    const json = JSON.parse(readFileSync(join(dir, '.devcontainer/devcontainer.json'), 'utf8'))
    expect(json).toMatchObject({ dockerComposeFile: 'compose.yaml', service: 'app', runServices: ['db', 'app'], workspaceFolder: '/workspace', remoteUser: '1000:1000', updateRemoteUserUID: false })
    expect(r.companions.map((c) => c.path)).toEqual(['.devcontainer/compose.yaml'])
    const compose = readFileSync(join(dir, '.devcontainer/compose.yaml'), 'utf8')
    expect(compose).toBe(r.companions[0]!.content)
    expect(compose).toMatch(/source: "\.\."\n\s+target: "\/workspace"/)
    expect(compose).toContain('condition: "service_healthy"')
  })

  it('without services it is still the one image-based file', () => {
    const r = exported(project(''), 'devcontainer')
    expect(JSON.parse(r.content).image).toMatch(/^envctl\/app:/)
    expect(r.companions).toEqual([])
  })
})

describe('k8s with services', () => {
  const input = { image: 'envctl/app:x', workspaceSize: '20Gi', dataSize: '5Gi', notebook: false, uid: 1000, gid: 1000 }
  const objects = (dir: string) => k8sObjects(exportPlan(plan({ ref: undefined, cwd: dir, host: cpuHost }), { workspace: dir, uid: 1000, gid: 1000 }), input)

  it('each service is a StatefulSet with its data on a claim and the catalog check as readiness, behind a headless Service; all valid', () => {
    const all = objects(project(`${MYSQL}memory = "1g"\n`))
    for (const o of all) expect(() => (o.kind === 'StatefulSet' ? new StatefulSet(o as never) : new Service(o as never)).validate()).not.toThrow()
    const sts = all.find((o) => o.kind === 'StatefulSet' && o.metadata!.name === 'db') as IStatefulSet
    const svc = all.find((o) => o.kind === 'Service' && o.metadata!.name === 'db') as IService
    expect(svc.spec).toMatchObject({ clusterIP: 'None', ports: [{ name: 'service', port: 3306, targetPort: 'service', protocol: 'TCP' }] })
    expect(sts.spec!.serviceName).toBe('db')
    expect(sts.spec!.volumeClaimTemplates).toEqual([{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '5Gi' } } } }])
    const c = sts.spec!.template.spec!.containers[0]!
    expect(c.volumeMounts).toEqual([{ name: 'data', mountPath: '/var/lib/mysql', subPath: 'data' }])
    expect(c.readinessProbe?.exec?.command).toEqual(['mysqladmin', 'ping', '-h', '127.0.0.1', '--silent'])
    expect(c.resources).toEqual({ limits: { memory: '1Gi' } })
    // The service's pods are not the environment's: the selectors do not overlap.
    const env = all.find((o) => o.kind === 'StatefulSet' && o.metadata!.name === 'app') as IStatefulSet
    expect(env.spec!.selector.matchLabels!['app.kubernetes.io/name']).toBe('app')
    expect(sts.spec!.selector.matchLabels!['app.kubernetes.io/name']).toBe('db')
  })

  it('the environment reaches a service by its DNS name: a name that is not a DNS label is made one, and the variables follow', () => {
    const all = objects(project('[services.main_db]\nimage = "postgres:16"\n'))
    expect(all.filter((o) => o.metadata!.name === 'main-db').map((o) => o.kind)).toEqual(['Service', 'StatefulSet'])
    const env = (all.find((o) => o.kind === 'StatefulSet' && o.metadata!.name === 'app') as IStatefulSet).spec!.template.spec!.containers[0]!.env!
    expect(env[0]).toEqual({ name: 'MAIN_DB_POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'app-secrets', key: 'MAIN_DB_POSTGRES_PASSWORD' } } })
    expect(env.find((e) => e.name === 'DATABASE_URL')?.value).toBe('postgresql://postgres:$(MAIN_DB_POSTGRES_PASSWORD)@main-db:5432/app')
    expect(env.find((e) => e.name === 'PGHOST')?.value).toBe('main-db')
  })

  it('a stack command is the container args (it replaces CMD, not ENTRYPOINT)', () => {
    const all = objects(project('[services.cache]\nimage = "redis:7"\ncommand = ["redis-server", "--appendonly", "yes"]\n'))
    const c = (all.find((o) => o.kind === 'StatefulSet' && o.metadata!.name === 'cache') as IStatefulSet).spec!.template.spec!.containers[0]!
    expect([c.command, c.args]).toEqual([undefined, ['redis-server', '--appendonly', 'yes']])
  })
})
