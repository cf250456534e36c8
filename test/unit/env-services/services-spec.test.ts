import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadStack } from '../../../src/stack/load.js'
import { parseStackText } from '../../../src/stack/parse.js'
import { toProblems, validateStackTable } from '../../../src/stack/validate.js'
import { caught, stackDir } from '../stack/helpers.js'

function problems(text: string) {
  const source = parseStackText(text, '/x/envctl.toml', 'envctl.toml')
  return toProblems(validateStackTable(source.table), source.display, source.positions)
}

describe('[services.NAME] in stack files', () => {
  it('accepts a full service table', () => {
    const text = `
[services.db]
image = "postgres:16"
env = { POSTGRES_DB = "shop" }
ports = ["5432"]
data = "/var/lib/postgresql/data"
depends_on = ["cache"]
healthcheck = { command = ["pg_isready"], timeout = 90 }
ulimits = { nofile = 65536 }
memory = "2g"
[services.cache]
image = "redis:7"
command = ["redis-server", "--appendonly", "yes"]
`
    expect(problems(text)).toEqual([])
  })

  it('reports each mistake with its line, column and key path', () => {
    const text = `[services.db]\nimage = "postgres:16"\nport = ["5432"]\n[services.cache]\nimage = "redis:7"\nports = ["99999"]\nhealthcheck = { timeout = 0 }\n[services."Bad Name"]\nimage = "x"\n`
    const found = problems(text)
    expect(found.map((p) => [p.location?.line, p.location?.keyPath])).toEqual([
      [3, 'services.db.port'],
      [6, 'services.cache.ports[0]'],
      [7, 'services.cache.healthcheck.timeout'],
      [8, 'services."Bad Name"'],
    ])
    expect(found[0]!.message).toContain('did you mean `ports`')
  })

  it('merges a service across files: tables deep-merge, lists replace', () => {
    const dir = stackDir({
      'base.toml': `name = "b"\n[services.db]\nimage = "postgres:15"\ncommand = ["postgres", "-c", "fsync=off"]\nenv = { A = "1" }\n`,
      'envctl.toml': `extends = "./base.toml"\nname = "app"\n[services.db]\nimage = "postgres:16"\ncommand = ["postgres"]\nenv = { B = "2" }\n`,
    })
    const spec = loadStack(join(dir, 'envctl.toml'), { cwd: dir })
    expect(spec.services).toEqual({ db: { image: 'postgres:16', command: ['postgres'], env: { A: '1', B: '2' } } })
  })

  it('loads depends_on and healthcheck in camelCase and defaults to no services', () => {
    const dir = stackDir({ 'envctl.toml': `name = "app"\n[services.web]\nimage = "nginx:1"\ndepends_on = ["db"]\n[services.db]\nimage = "redis:7"\n` })
    expect(loadStack(join(dir, 'envctl.toml'), { cwd: dir }).services.web).toEqual({ image: 'nginx:1', dependsOn: ['db'] })
    const plain = stackDir({ 'envctl.toml': 'name = "app"\n' })
    expect(loadStack(join(plain, 'envctl.toml'), { cwd: plain }).services).toEqual({})
  })

  it('rejects a service with a wrong type as INVALID_STACK', () => {
    const dir = stackDir({ 'envctl.toml': `name = "app"\n[services.db]\nimage = 16\n` })
    const err = caught(() => loadStack(join(dir, 'envctl.toml'), { cwd: dir }))
    expect(err.code).toBe('INVALID_STACK')
    expect(err.problems[0]!.location?.keyPath).toBe('services.db.image')
  })
})
