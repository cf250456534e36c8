/**
 * The single-file build bin/run.js loads (scripts/bundle.mjs → dist/bundle/envctl.cjs, kept fresh by
 * test/support/fresh-dist.ts): dockerode is inside it, but its BuildKit session (gRPC) and ssh2 still load only
 * when a build or an ssh:// engine calls them, from node_modules, as src/engine/load-dockerode.ts does for dist/.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../..', import.meta.url))

/** Runs a script in a fresh node with the bundle loaded as bin/run.js loads it, and returns its JSON. */
function inFreshNode(body: string): Record<string, unknown> {
  const script = `
    import { createRequire } from 'node:module'
    const req = createRequire(${JSON.stringify(`${root}/package.json`)})
    const loaded = (part) => Object.keys(req.cache).some((k) => k.includes(part))
    const { loadBundle } = await import(${JSON.stringify(`${root}/bin/bundle-loader.js`)})
    const { exports, script } = loadBundle()
    ${body}`
  return JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }))
}

describe('the bundle', () => {
  it('holds dockerode, without its BuildKit session, its trace decoder or ssh2', () => {
    const r = inFreshNode(`
      const Docker = exports.loadDockerode()
      new Docker({ socketPath: '/nonexistent.sock' })
      console.log(JSON.stringify({ grpc: loaded('@grpc'), ssh2: loaded('/ssh2/'), protobuf: loaded('protobufjs'), dockerode: loaded('/dockerode/'), commands: Object.keys(exports.COMMANDS).includes('up') }))`)
    expect(r).toEqual({ grpc: false, ssh2: false, protobuf: false, dockerode: false, commands: true })
  })

  it('loads ssh2 when an ssh:// engine is asked, and gRPC when a BuildKit build opens its session', () => {
    const r = inFreshNode(`
      const Docker = exports.loadDockerode()
      const overSsh = new Docker({ protocol: 'ssh', host: '127.0.0.1', port: 1, username: 'nobody' })
      await overSsh.ping().catch(() => {})
      const ssh2 = loaded('/ssh2/')
      const local = new Docker({ socketPath: '/nonexistent.sock' })
      await local.buildImage({ context: '/nonexistent', src: [] }, { version: '2' }).catch(() => {})
      console.log(JSON.stringify({ ssh2, grpc: loaded('@grpc') }))`)
    expect(r).toEqual({ ssh2: true, grpc: true })
  })

  it('is compiled from its code cache: V8 accepts the cache the build wrote for this node', () => {
    expect(existsSync(`${root}/dist/bundle/envctl.cjs.cache`)).toBe(true)
    expect(statSync(`${root}/dist/bundle/envctl.cjs.cache`).size).toBeGreaterThan(100_000)
    const r = inFreshNode(`console.log(JSON.stringify({ rejected: script.cachedDataRejected }))`)
    expect(r).toEqual({ rejected: false })
  })
})
