import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet'
import type { IStatefulSet } from 'kubernetes-models/apps/v1'
import { plan } from '../../../src/project/plan.js'
import { exportEnvironment, type ExportRequest } from '../../../src/export/export.js'
import { exportPlan } from '../../../src/export/export-plan.js'
import { loadServiceCatalog } from '../../../src/env-services/catalog.js'
import { secretsFilePath } from '../../../src/env-services/secret-store.js'
import { secretRefs, secretVariable } from '../../../src/export/secret-refs.js'
import { mergeEnvFile } from '../../../src/export/secret-values.js'
import { secretNotes } from '../../../src/export/secret-notes.js'
import { k8sObjects } from '../../../src/export/k8s.js'
import { cpuHost, failure } from '../../support/spec.js'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), 'envctl-export-secrets-'))
  dirs.push(dir)
  return dir
}

function project(services: string, env = ''): string {
  const dir = temp()
  writeFileSync(join(dir, 'envctl.toml'), `name = "app"\nextends = "node"\n[node]\nversion = "20"\n[gpu]\nmode = "none"\n${env}\n${services}`)
  return dir
}

function exported(dir: string, kind: ExportRequest['kind'], output: string | null = null, stateDir?: string) {
  return exportEnvironment(plan({ ref: undefined, cwd: dir, host: cpuHost }), { kind, cwd: dir, output, workspace: dir, uid: 1000, gid: 1000, stateDir })
}

/** What `envctl up` would have kept for the environment in `stateDir`. */
function keptByUp(dir: string, stateDir: string, values: Record<string, Record<string, string>>): void {
  const path = secretsFilePath(stateDir, exportPlan(plan({ ref: undefined, cwd: dir, host: cpuHost }), { workspace: dir, uid: 1000, gid: 1000 }).upContainer)
  mkdirSync(join(stateDir, 'services'), { recursive: true })
  writeFileSync(path, JSON.stringify(values))
}

const envFile = (path: string): Record<string, string> =>
  Object.fromEntries(readFileSync(path, 'utf8').split('\n').filter((l) => /^[A-Z_]+=/.test(l)).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]))

/** Every catalog service with generated passwords, as a stack names it. */
const WITH_SECRETS = Object.entries(loadServiceCatalog().services).filter(([, e]) => e.secrets?.length).map(([kind, e]) => ({ kind, image: `${e.repositories[0]}:1`, secrets: e.secrets! }))

describe('exports name generated passwords, never carry them', () => {
  it('the catalog has services with passwords to test', () => {
    expect(WITH_SECRETS.map((s) => s.kind)).toEqual(expect.arrayContaining(['postgres', 'mysql', 'mariadb']))
  })

  for (const svc of WITH_SECRETS) {
    it(`compose, ${svc.kind}: the service and the environment's connection variables name one \${VAR}; -o writes its value to .env (0600) and nowhere else`, () => {
      const dir = project(`[services.db]\nimage = "${svc.image}"\n`)
      const r = exported(dir, 'compose', 'compose.yaml')
      const variables = svc.secrets.map((s) => `DB_${s}`)
      expect(r.secrets).toMatchObject({ variables, file: '.env', secret: null, command: null })
      const values = envFile(join(dir, '.env'))
      expect(Object.keys(values)).toEqual(variables)
      expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600)
      const text = readFileSync(join(dir, 'compose.yaml'), 'utf8')
      for (const v of Object.values(values)) expect(text).not.toContain(v)
      for (const s of svc.secrets) expect(text).toMatch(new RegExp(`\\n {6}${s}: "\\$\\{DB_${s}:\\?[^"}]+\\}"\\n`))
      // Every reference in the file is a variable .env has; the URL uses the same one as the service.
      const refs = [...text.matchAll(/\$\{([A-Z0-9_]+):\?/g)].map((m) => m[1])
      expect(new Set(refs)).toEqual(new Set(variables))
      expect(text).toMatch(new RegExp(`DATABASE_URL: "[a-z]+://[a-z]+:\\$\\{${variables[0]}:\\?[^"}]+\\}@db:`))
    })

    it(`k8s, ${svc.kind}: the service and the environment read one Secret key; -o writes NAME-secrets.env (0600) and the kubectl command`, () => {
      const dir = project(`[services.db]\nimage = "${svc.image}"\n`)
      const r = exported(dir, 'k8s', 'k8s.yaml')
      expect(r.secrets).toMatchObject({ file: 'app-secrets.env', secret: 'app-secrets', command: 'kubectl create secret generic app-secrets --from-env-file=app-secrets.env' })
      expect(statSync(join(dir, 'app-secrets.env')).mode & 0o777).toBe(0o600)
      const values = envFile(join(dir, 'app-secrets.env'))
      const text = readFileSync(join(dir, 'k8s.yaml'), 'utf8')
      for (const v of Object.values(values)) expect(text).not.toContain(v)
      const keys = [...text.matchAll(/key: "([A-Z0-9_]+)"/g)].map((m) => m[1])
      expect(new Set(keys)).toEqual(new Set(Object.keys(values)))
    })
  }

  it('k8s: a URL names $(VAR) after VAR is read from the Secret; all objects valid; a literal $ in the stack is escaped', () => {
    const dir = project('[services.db]\nimage = "mysql:8.4"\nenv = { MYSQL_DATABASE = "a$(HOME)b" }\n')
    const objects = exportPlan(plan({ ref: undefined, cwd: dir, host: cpuHost }), { workspace: dir, uid: 1000, gid: 1000 })
    const all = k8sObjects(objects, { image: 'envctl/app:x', workspaceSize: '1Gi', dataSize: '1Gi', notebook: false, uid: 1000, gid: 1000 }) as IStatefulSet[]
    for (const o of all.filter((o) => o.kind === 'StatefulSet')) expect(() => new StatefulSet(o as never).validate()).not.toThrow()
    const env = all.find((o) => o.kind === 'StatefulSet' && o.metadata!.name === 'app')!.spec!.template.spec!.containers[0]!.env!
    const names = env.map((e) => e.name)
    expect(names.indexOf('DB_MYSQL_ROOT_PASSWORD')).toBeLessThan(names.indexOf('DATABASE_URL'))
    expect(env.find((e) => e.name === 'DATABASE_URL')?.value).toBe('mysql://root:$(DB_MYSQL_ROOT_PASSWORD)@db:3306/a$$(HOME)b')
    expect(env.find((e) => e.name === 'MYSQL_PASSWORD')).toEqual({ name: 'MYSQL_PASSWORD', valueFrom: { secretKeyRef: { name: 'app-secrets', key: 'DB_MYSQL_ROOT_PASSWORD' } } })
    const db = all.find((o) => o.kind === 'StatefulSet' && o.metadata!.name === 'db')!.spec!.template.spec!.containers[0]!.env!
    expect(db.find((e) => e.name === 'MYSQL_DATABASE')?.value).toBe('a$$(HOME)b')
  })

  it('the passwords `envctl up` keeps for the environment fill the file, and the output says so', () => {
    const dir = project('[services.db]\nimage = "postgres:16"\n')
    const state = temp()
    keptByUp(dir, state, { db: { POSTGRES_PASSWORD: 'from-up-1234' } })
    const r = exported(dir, 'compose', 'out/compose.yaml', state)
    expect(envFile(join(dir, 'out/.env'))).toEqual({ DB_POSTGRES_PASSWORD: 'from-up-1234' })
    expect(r.secrets.entries).toEqual([{ variable: 'DB_POSTGRES_PASSWORD', service: 'db', source: 'envctl-up' }])
    expect(secretNotes(r).join('\n')).toMatch(/out\/\.env \(0600\): DB_POSTGRES_PASSWORD: the passwords `envctl up` keeps/)
  })

  it('an existing .env keeps its values and lines; only missing variables are added, and it is narrowed to 0600', () => {
    const dir = project('[services.db]\nimage = "postgres:16"\n[services.old]\nimage = "mysql:8.4"\n')
    writeFileSync(join(dir, '.env'), '# mine\nCOMPOSE_PROJECT_NAME=shop\nOLD_MYSQL_ROOT_PASSWORD=keep-me', { mode: 0o644 })
    const state = temp()
    keptByUp(dir, state, { old: { MYSQL_ROOT_PASSWORD: 'not-this' } })
    const r = exported(dir, 'compose', 'compose.yaml', state)
    const text = readFileSync(join(dir, '.env'), 'utf8')
    expect(text.startsWith('# mine\nCOMPOSE_PROJECT_NAME=shop\nOLD_MYSQL_ROOT_PASSWORD=keep-me\nDB_POSTGRES_PASSWORD=')).toBe(true)
    expect(statSync(join(dir, '.env')).mode & 0o777).toBe(0o600)
    expect(r.secrets.entries.map((e) => [e.variable, e.source])).toEqual([['DB_POSTGRES_PASSWORD', 'generated'], ['OLD_MYSQL_ROOT_PASSWORD', 'kept']])
    // A second export changes nothing.
    exported(dir, 'compose', 'compose.yaml', state)
    expect(readFileSync(join(dir, '.env'), 'utf8')).toBe(text)
  })

  it('devcontainer: .env goes beside the Compose file in .devcontainer/, where the CLI runs Compose from', () => {
    const dir = project('[services.db]\nimage = "mysql:8.4"\n')
    const r = exported(dir, 'devcontainer', '.devcontainer/devcontainer.json')
    expect(r.secrets.file).toBe('.devcontainer/.env')
    expect(Object.keys(envFile(join(dir, '.devcontainer/.env')))).toEqual(['DB_MYSQL_ROOT_PASSWORD'])
    expect(readFileSync(join(dir, '.devcontainer/compose.yaml'), 'utf8')).toContain('${DB_MYSQL_ROOT_PASSWORD:?')
  })

  it('to stdout nothing is written, and the note says how to give the variables', () => {
    const dir = project('[services.db]\nimage = "mysql:8.4"\n')
    const r = exported(dir, 'compose')
    expect(r.secrets).toMatchObject({ variables: ['DB_MYSQL_ROOT_PASSWORD'], file: null, entries: [] })
    expect(secretNotes(r)).toEqual([expect.stringMatching(/reads DB_MYSQL_ROOT_PASSWORD from a \.env file beside it.*-o FILE/)])
    const k = exported(dir, 'k8s')
    expect(secretNotes(k)).toEqual([expect.stringMatching(/read DB_MYSQL_ROOT_PASSWORD from the Secret app-secrets.*--from-env-file/)])
  })

  it('a password the stack sets itself is not generated, so the export names no variable for it', () => {
    const dir = project('[services.db]\nimage = "postgres:16"\nenv = { POSTGRES_PASSWORD = "team-known" }\n')
    expect(exported(dir, 'compose', 'compose.yaml').secrets).toMatchObject({ variables: [], file: null })
  })

  it('names: the service in upper case, a leading digit prefixed; two services meeting in one variable are refused', () => {
    expect(secretVariable('main-db', 'POSTGRES_PASSWORD')).toBe('MAIN_DB_POSTGRES_PASSWORD')
    expect(secretVariable('2nd', 'X')).toBe('SVC_2ND_X')
    expect(failure(() => secretRefs({ 'my-db': ['P'], my_db: ['P'] }))).toMatchObject({ code: 'INVALID_STACK', message: expect.stringMatching(/services\.my-db and services\.my_db would both pass their password as MY_DB_P/) })
  })

  it('merge: comments and other lines stay, `export NAME=` counts as set, a file without a final newline gets one', () => {
    const refs = secretRefs({ db: ['A', 'B'] })
    const { text, entries } = mergeEnvFile('export DB_A=x\n# c', refs, { db: { B: 'up' } }, () => 'new')
    expect(text).toBe('export DB_A=x\n# c\nDB_B=up\n')
    expect(entries.map((e) => e.source)).toEqual(['kept', 'envctl-up'])
  })
})
