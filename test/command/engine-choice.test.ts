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

  describe('[engine] in the stack file and the user config', () => {
    const project = join(cfg, 'project')
    const xdg = join(cfg, 'xdg')
    mkdirSync(project, { recursive: true })
    mkdirSync(join(xdg, 'envctl'), { recursive: true })
    writeFileSync(join(project, 'envctl.toml'), 'extends = "node"\n[engine]\nhost = "unix:///nonexistent/project.sock"\n')
    writeFileSync(join(xdg, 'envctl/config.toml'), '[engine]\nhost = "unix:///nonexistent/user.sock"\n')
    const userConfig = join(xdg, 'envctl/config.toml')
    const withXdg = { ...env, XDG_CONFIG_HOME: xdg }

    it("the project's file beats the user config, which beats Docker's currentContext; doctor says which", async () => {
      const inProject = await runCli(['doctor', '--json'], { cwd: project, env: withXdg })
      expect(JSON.stringify(inProject.json)).toContain('cannot reach the Docker engine at unix:///nonexistent/project.sock: the socket does not exist (engine chosen by engine.host in envctl.toml:3:1)')
      const elsewhere = await runCli(['doctor', '--json'], { cwd: cfg, env: withXdg })
      expect(JSON.stringify(elsewhere.json)).toContain(`unix:///nonexistent/user.sock: the socket does not exist (engine chosen by engine.host in ${userConfig}:2:1)`)
    })

    it('DOCKER_HOST and DOCKER_CONTEXT beat both files', async () => {
      const r = await runCli(['ls'], { cwd: project, env: { ...withXdg, DOCKER_HOST: 'unix:///nonexistent/env.sock' } })
      expect(r.code).toBe(10)
      expect(r.stderr).toContain('cannot reach the Docker engine at unix:///nonexistent/env.sock')
      const c = await runCli(['ls'], { cwd: project, env: { ...withXdg, DOCKER_CONTEXT: 'gone-box' } })
      expect(c.stderr).toContain('cannot reach the Docker engine at unix:///nonexistent/ctx.sock')
    })

    it('config --json shows the engine with the file, line and column that chose it', async () => {
      const r = await runCli(['config', '--json'], { cwd: project, env: withXdg })
      expect(r.code, r.stderr).toBe(0)
      const engine = (r.json as { settings: Array<{ key: string }> }).settings.filter((s) => s.key.startsWith('engine.'))
      expect(engine).toEqual([{ key: 'engine.host', value: 'unix:///nonexistent/project.sock', origin: { kind: 'project', where: 'engine.host in envctl.toml:3:1' }, shadows: [] }])
    })

    it('a mistake in [engine] is refused at its file:line:column before any engine is contacted', async () => {
      const bad = join(cfg, 'bad')
      mkdirSync(bad, { recursive: true })
      writeFileSync(join(bad, 'envctl.toml'), 'extends = "node"\n[engine]\nhost = "gpu-box"\n')
      const r = await runCli(['ls'], { cwd: bad, env: withXdg })
      expect(r.code).toBe(2)
      expect(r.stderr).toContain('envctl.toml:3:1: engine host "gpu-box" is not an address such as unix:///var/run/docker.sock, tcp://host:2376 or ssh://host (a user and port may go with ssh) (engine.host)')
      expect(r.stderr).not.toMatch(/\n\s+at .+:\d+:\d+/)
    })
  })
})
