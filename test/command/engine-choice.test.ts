/**
 * Which engine a command uses, found as the docker CLI finds it, and said by doctor and ls. Needs no engine:
 * every endpoint here is one that does not answer.
 */
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { repoRoot, runCli } from '../integration/support/cli.js'

const cfg = mkdtempSync(join(tmpdir(), 'envctl-ctxcmd-'))
afterAll(() => rmSync(cfg, { recursive: true, force: true }))
const meta = join(cfg, 'contexts/meta', createHash('sha256').update('gone-box').digest('hex'))
mkdirSync(meta, { recursive: true })
writeFileSync(join(meta, 'meta.json'), JSON.stringify({ Name: 'gone-box', Endpoints: { docker: { Host: 'unix:///nonexistent/ctx.sock' } } }))
writeFileSync(join(cfg, 'config.json'), JSON.stringify({ currentContext: 'gone-box' }))
const env = { DOCKER_CONFIG: cfg, DOCKER_HOST: undefined, DOCKER_CONTEXT: undefined }

describe('engine choice', () => {
  it("doctor uses the Docker config's current context and says so", async () => {
    const r = await runCli(['doctor', '--json'], { cwd: repoRoot, env })
    expect(r.code).toBe(10)
    expect(r.json).toMatchObject({ checks: expect.arrayContaining([expect.objectContaining({
      name: 'engine',
      detail: `cannot reach the Docker engine at unix:///nonexistent/ctx.sock: the socket does not exist (engine chosen by context "gone-box" (currentContext in ${join(cfg, 'config.json')}))`,
    })]) })
  })

  it('--host (the docker CLI spelling) wins over the context', async () => {
    const r = await runCli(['ls', '--host', 'unix:///nonexistent/flag.sock'], { cwd: repoRoot, env })
    expect(r.code).toBe(10)
    expect(r.stderr).toContain('cannot reach the Docker engine at unix:///nonexistent/flag.sock')
  })

  it('ls and exec ask the engine beside the ping, and a dead engine is still said once, as the ping says it', async () => {
    for (const args of [['ls', '--host', 'unix:///nonexistent/flag.sock'], ['exec', '--host', 'unix:///nonexistent/flag.sock', '--', 'true']]) {
      const r = await runCli(args, { cwd: repoRoot, env })
      expect(r.code).toBe(10)
      expect(r.stderr.match(/error\[ENGINE_UNREACHABLE\]/g)).toHaveLength(1)
      expect(r.stderr).toContain('cannot reach the Docker engine at unix:///nonexistent/flag.sock')
      expect(r.stderr).not.toContain('containers')
    }
  })

  it('DOCKER_CONTEXT naming a context that does not exist is refused clearly', async () => {
    const r = await runCli(['ls'], { cwd: repoRoot, env: { ...env, DOCKER_CONTEXT: 'nope' } })
    expect(r.code).toBe(10)
    expect(r.stderr).toContain('error[ENGINE_UNREACHABLE]: the Docker context "nope" (named by env DOCKER_CONTEXT) does not exist')
    expect(r.stderr).toContain('docker context ls')
  })

  it('DOCKER_TLS_VERIFY without the CA file names the file and the fix', async () => {
    const r = await runCli(['ls'], { cwd: repoRoot, env: { ...env, DOCKER_HOST: 'tcp://127.0.0.1:1', DOCKER_TLS_VERIFY: '1', DOCKER_CERT_PATH: join(cfg, 'certs') } })
    expect(r.code).toBe(10)
    expect(r.stderr).toContain(`the TLS file ${join(cfg, 'certs', 'ca.pem')} (from DOCKER_CERT_PATH) does not exist`)
  })
})
