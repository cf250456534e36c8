import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadServiceCatalog } from '../../../src/env-services/catalog.js'
import { planServices } from '../../../src/env-services/plan.js'
import { envIdentity } from '../../../src/environment/identity.js'
import { PACKAGE_ROOT } from '../../../src/package-root.js'
import { loadStack } from '../../../src/stack/load.js'

const examples = join(PACKAGE_ROOT, 'examples')
const withServices = readdirSync(examples).filter((d) => ['node-mysql-redis', 'spring-mysql', 'pytorch-postgres'].includes(d))

describe('the service examples', () => {
  it('are all there', () => {
    expect(withServices.sort()).toEqual(['node-mysql-redis', 'pytorch-postgres', 'spring-mysql'])
  })

  it.each(withServices)('%s loads, and each service is a catalog service with data and a health check', (dir) => {
    const spec = loadStack(join(examples, dir, 'envctl.toml'), { cwd: join(examples, dir) })
    const id = envIdentity({ stack: spec.name, isProject: true, workspace: join(examples, dir), uid: 1000 })
    const plan = planServices(spec, id, loadServiceCatalog())
    expect(plan.services.length).toBeGreaterThan(0)
    for (const s of plan.services) {
      expect(s.kind, s.name).not.toBeNull()
      expect(s.health.command.length, s.name).toBeGreaterThan(0)
    }
  })
})
