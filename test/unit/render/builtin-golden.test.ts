import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { loadMatrix } from '../../../src/matrix/load.js'
import { loadStack } from '../../../src/stack/load.js'
import { resolveStack } from '../../../src/resolvers/resolve.js'
import { renderDockerfile } from '../../../src/render/render-dockerfile.js'
import { resolveView } from '../../../src/project/resolve-view.js'
import { cpuHost, gpuHost, h100 } from '../../support/spec.js'
import { PACKAGE_ROOT } from '../../../src/package-root.js'

// Every built-in stack, resolved for real on three hosts, then rendered. The resolution (as `resolve --json`
// prints it) and the Dockerfile are both golden: `npm run golden:update` rewrites them; review the diff.
const GOLDEN = fileURLToPath(new URL('../../fixtures/builtin/', import.meta.url))
const UPDATE = process.env.ENVCTL_UPDATE_GOLDEN === '1'
const matrix = loadMatrix()

const hosts = {
  cpu: cpuHost,
  h100: h100,
  'old-driver': gpuHost('8.6', '470.82.01', 'NVIDIA RTX 3090'),
}
const stacks = ['pytorch', 'tensorflow-gpu', 'node', 'java']

function golden(file: string, actual: string): void {
  const path = join(GOLDEN, file)
  if (UPDATE || !existsSync(path)) {
    mkdirSync(GOLDEN, { recursive: true })
    if (UPDATE) writeFileSync(path, actual)
  }
  expect(actual).toBe(readFileSync(path, 'utf8'))
}

describe('built-in stacks, resolved and rendered', () => {
  for (const stack of stacks) {
    for (const [hostName, host] of Object.entries(hosts)) {
      it(`${stack} on ${hostName}`, () => {
        const spec = loadStack(stack, { cwd: PACKAGE_ROOT })
        const r = resolveStack(spec, matrix, host)
        golden(`${stack}.${hostName}.resolve.json`, JSON.stringify(resolveView(r, 'none', true), null, 2) + '\n')
        golden(`${stack}.${hostName}.Dockerfile`, renderDockerfile(r))
      })
    }
  }
})
