import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { plan } from '../../../src/project/plan.js'
import { exportEnvironment } from '../../../src/export/export.js'
import type { ExportKind } from '../../../src/export/export-plan.js'
import { PACKAGE_ROOT } from '../../../src/package-root.js'
import { cpuHost, h100 } from '../../support/spec.js'

// Every built-in stack, exported for a CPU and a GPU host, and the examples with services for a CPU host.
// `npm run golden:update` rewrites them; review the diff.
const GOLDEN = fileURLToPath(new URL('../../fixtures/export/', import.meta.url))
const UPDATE = process.env.ENVCTL_UPDATE_GOLDEN === '1'
const FILE: Record<ExportKind, string> = { compose: 'compose.yaml', devcontainer: 'devcontainer.json', k8s: 'k8s.yaml' }

function golden(file: string, actual: string): void {
  const path = join(GOLDEN, file)
  if (UPDATE || !existsSync(path)) writeFileSync(path, actual)
  expect(actual).toBe(readFileSync(path, 'utf8'))
}

describe('exports of the built-in stacks', () => {
  for (const stack of ['pytorch', 'tensorflow-gpu', 'node', 'java']) {
    for (const [hostName, host] of Object.entries({ cpu: cpuHost, h100 })) {
      for (const kind of Object.keys(FILE) as ExportKind[]) {
        it(`${stack} on ${hostName} as ${kind}`, () => {
          const p = plan({ ref: stack, cwd: PACKAGE_ROOT, host })
          const r = exportEnvironment(p, { kind, cwd: '/work/project', output: null, workspace: '/work/project', uid: host.uid, gid: host.gid, notebook: kind === 'k8s' && stack === 'pytorch' ? true : undefined })
          golden(`${stack}.${hostName}.${FILE[kind]}`, r.content)
        })
      }
    }
  }
})

describe('exports of the examples with services', () => {
  for (const example of ['node-mysql-redis', 'pytorch-postgres', 'spring-mysql']) {
    for (const kind of Object.keys(FILE) as ExportKind[]) {
      it(`${example} as ${kind}`, () => {
        const dir = join(PACKAGE_ROOT, 'examples', example)
        const p = plan({ ref: undefined, cwd: dir, host: cpuHost })
        const r = exportEnvironment(p, { kind, cwd: '/work/project', output: null, workspace: '/work/project', uid: 1000, gid: 1000 })
        golden(`${example}.${FILE[kind]}`, r.content)
        expect(r.companions.map((c) => c.path)).toEqual(kind === 'devcontainer' ? ['.devcontainer/compose.yaml'] : [])
        for (const c of r.companions) golden(`${example}.devcontainer.compose.yaml`, c.content)
      })
    }
  }
})

// Every service field an export carries (ports, memory, ulimits, command with a dollar, depends_on between
// services, a service without a check): the integration test runs docker-compose 1.29's `config` on this file.
const FIELDS = `name = "fields"\nextends = "node"\n[node]\nversion = "20"\n[gpu]\nmode = "none"\n
[services.db]\nimage = "mysql:8.4"\nports = ["13306:3306"]\nmemory = "1g"\nulimits = { nofile = 4096 }\n
[services.worker]\nimage = "redis:7"\ncommand = ["redis-server", "--save", "$HOME"]\ndepends_on = ["db"]\n
[services.plain]\nimage = "python:3.11-slim"\n`

describe('exports of every service field', () => {
  const dir = mkdtempSync(join(tmpdir(), 'envctl-export-fields-'))
  writeFileSync(join(dir, 'envctl.toml'), FIELDS)
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  for (const kind of ['compose', 'k8s'] as const) {
    it(`as ${kind}`, () => {
      const r = exportEnvironment(plan({ ref: undefined, cwd: dir, host: cpuHost }), { kind, cwd: '/work/project', output: null, workspace: '/work/project', uid: 1000, gid: 1000 })
      golden(`service-fields.${FILE[kind]}`, r.content)
    })
  }
})
