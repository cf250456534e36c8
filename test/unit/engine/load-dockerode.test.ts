import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../..', import.meta.url))

/** Runs a script in a fresh node (vitest's own process may already hold these modules) and returns its JSON. */
function inFreshNode(body: string): Record<string, unknown> {
  const script = `
    import { createRequire } from 'node:module'
    const req = createRequire(${JSON.stringify(`${root}/package.json`)})
    const loaded = (part) => Object.keys(req.cache).some((k) => k.includes(part))
    const { loadDockerode, lazyModulePaths } = await import(${JSON.stringify(`${root}/dist/engine/load-dockerode.js`)})
    ${body}`
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' }))
}

describe('loadDockerode', () => {
  it('loads dockerode without its BuildKit session (gRPC) or ssh2', () => {
    const r = inFreshNode(`
      const Docker = loadDockerode()
      new Docker({ socketPath: '/nonexistent.sock' })
      console.log(JSON.stringify({ grpc: loaded('@grpc'), ssh2: loaded('/ssh2/'), modem: loaded('docker-modem'), stubs: lazyModulePaths().map((p) => typeof req.cache[p].exports) }))`)
    expect(r).toEqual({ grpc: false, ssh2: false, modem: true, stubs: ['function', 'function'] })
  })

  it('loads the real modules when they are first called (a build, an ssh:// engine)', () => {
    const r = inFreshNode(`
      loadDockerode()
      const [session, ssh] = lazyModulePaths().map((p) => req.cache[p].exports)
      const agent = ssh({ host: '127.0.0.1', port: 1, username: 'nobody' })
      let sessionError = null
      try { session(null, undefined, () => {}) } catch (e) { sessionError = e.constructor.name }
      console.log(JSON.stringify({ grpc: loaded('@grpc'), ssh2: loaded('/ssh2/'), agent: typeof agent.createConnection, sessionError }))`)
    expect(r).toMatchObject({ grpc: true, ssh2: true, agent: 'function' })
  })
})
