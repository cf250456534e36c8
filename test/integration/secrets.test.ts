/**
 * Credentials in a pip mirror URL and a proxy URL on a real engine: the build really uses them (the proxy
 * refuses requests without them and counts the rest), and they appear in no layer, no `docker history`, no
 * inspect output or label, no envctl output and not in envctl.lock; the running environment has them only
 * in the user's 0600 files, which `envctl exec` and pip read.
 */
import { existsSync, readFileSync } from 'node:fs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import Docker from 'dockerode'
import { describeEngine } from './support/engine.js'
import { runCli, runProcess, type RunResult } from './support/cli.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'
import { testMirrors, testRunId } from './support/cleanup.js'
import { startAuthProxy, type AuthProxy } from './support/auth-proxy.js'

const docker = new Docker()
const id = testRunId().replace(/[^a-z0-9]/g, '')
const stackName = `it-secrets-${id}`
const SECRET = /SECRET/
const PIP_PASSWORD = `SECRETpip${id}`
const PROXY_PASSWORD = `SECRETproxy${id}`

function stack(proxy: AuthProxy): string {
  const index = testMirrors().pipIndex.replace('://', `://ci:${PIP_PASSWORD}@`)
  return [
    `name = "${stackName}"`,
    '[python]', 'version = "3.11"',
    '[packages]', 'pip = ["requests"]',
    '[gpu]', 'mode = "none"',
    '[mirrors]', `pip = "${index}"`,
    '[network]', 'build_network = "host"', `http_proxy = "${proxy.origin.replace('://', `://proxyuser:${PROXY_PASSWORD}@`)}"`,
  ].join('\n') + '\n'
}

/** Everything a command printed, for "no SECRET here" checks, with the command named in the failure. */
const printed = (r: RunResult) => `${r.stdout}\n${r.stderr}`

async function removeStack(): Promise<void> {
  const filters = JSON.stringify({ label: [`dev.envctl.stack=${stackName}`] })
  for (const c of await docker.listContainers({ all: true, filters })) await docker.getContainer(c.Id).remove({ force: true }).catch(() => {})
  for (const img of await docker.listImages({ filters })) await docker.getImage(img.Id).remove({ force: true }).catch(() => {})
}

/** The image as `docker save` writes it: every layer's files (overlay2 saves them uncompressed). */
async function savedImage(image: string): Promise<Buffer> {
  const stream = await docker.getImage(image).get()
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(c as Buffer)
  return Buffer.concat(chunks)
}

describeEngine('credentials in mirror and proxy URLs on a real engine', () => {
  let proxy: AuthProxy
  let ws: Workspace
  let env: Record<string, string>
  let up: RunResult
  const cli = (args: string[]) => runCli(args, { cwd: ws.dir, user: ws.user, env })

  beforeAll(async () => {
    proxy = await startAuthProxy('proxyuser', PROXY_PASSWORD)
    ws = await makeWorkspace({ 'envctl.toml': '', '.xdg/config/.keep': '', '.xdg/cache/.keep': '', '.xdg/state/.keep': '' })
    await runProcess('sh', ['-c', `cat > envctl.toml <<'EOF'\n${stack(proxy)}EOF`], { cwd: ws.dir, user: ws.user })
    env = { XDG_CONFIG_HOME: ws.path('.xdg/config'), XDG_CACHE_HOME: ws.path('.xdg/cache'), XDG_STATE_HOME: ws.path('.xdg/state') }
    up = await cli(['up', '--json', '--no-cache'])
  }, 900_000)

  afterAll(async () => {
    if (ws) await cli(['down']).catch(() => {})
    await removeStack()
    await proxy?.close()
    await ws?.remove()
  })

  it('the build used the credentials: the proxy forwarded authenticated requests and refused none', () => {
    expect(up.code, up.stderr).toBe(0)
    expect(proxy.forwarded()).toBeGreaterThan(0)
    expect(proxy.refused()).toBe(0)
  })

  it('no layer, no docker history line, no image label or config holds a credential', async () => {
    const image = (up.json as { image: string }).image
    const history = await runProcess('docker', ['history', '--no-trunc', image], { cwd: ws.dir })
    expect(history.code).toBe(0)
    expect(history.stdout).toContain('pip install')
    expect(history.stdout).not.toMatch(SECRET)
    expect(JSON.stringify(await docker.getImage(image).inspect())).not.toMatch(SECRET)
    const saved = await savedImage(image)
    expect(saved.length).toBeGreaterThan(1_000_000)
    // The exact passwords (a bare "SECRET" may occur in any library's text): with some context when found.
    for (const password of [PIP_PASSWORD, PROXY_PASSWORD]) {
      const at = saved.indexOf(password)
      expect(at < 0 ? '' : saved.subarray(Math.max(0, at - 300), at + 100).toString('latin1'), password).toBe('')
    }
  })

  it("the container's configuration (Env, Cmd, Labels) holds none; the user's 0600 files do", async () => {
    const containerId = (up.json as { containerId: string }).containerId
    const inspect = await docker.getContainer(containerId).inspect()
    expect(JSON.stringify(inspect)).not.toMatch(SECRET)
    const stat = await cli(['exec', '--', 'sh', '-c', 'stat -c "%a %u:%g" ~/.config/pip/pip.conf ~/.config/envctl/env && cat ~/.config/pip/pip.conf'])
    expect(stat.code, stat.stderr).toBe(0)
    const [pipConf, envFile] = stat.stdout.trim().split('\n')
    expect(pipConf).toBe(`600 ${ws.user.uid}:${ws.user.gid}`)
    expect(envFile).toBe(`600 ${ws.user.uid}:${ws.user.gid}`)
    expect(stat.stdout).toContain(`index-url = ${testMirrors().pipIndex.replace('://', `://ci:${PIP_PASSWORD}@`)}`)
    const other = await runProcess('docker', ['exec', '-u', '4242:4242', inspect.Name.slice(1), 'cat', '/home/envctl/.config/pip/pip.conf'], { cwd: ws.dir })
    expect(other.code).not.toBe(0)
    expect(other.stderr).toMatch(/Permission denied/)
  })

  it('pip inside the environment sees the mirror, and envctl exec gets the proxy from the env file', async () => {
    const pip = await cli(['exec', '--', 'pip', 'config', 'list'])
    expect(pip.code, pip.stderr).toBe(0)
    expect(pip.stdout).toContain(`global.index-url='${testMirrors().pipIndex.replace('://', `://ci:${PIP_PASSWORD}@`)}'`)
    const proxyVar = await cli(['exec', '--', 'sh', '-c', 'echo "$HTTP_PROXY|$http_proxy"'])
    const url = proxy.origin.replace('://', `://proxyuser:${PROXY_PASSWORD}@`)
    expect(proxyVar.stdout.trim()).toBe(`${url}|${url}`)
    const piped = await runCli(['shell'], { cwd: ws.dir, user: ws.user, env, input: 'echo "shell:$HTTP_PROXY"\n' })
    expect(piped.stdout).toContain(`shell:${url}`)
  })

  it('no envctl output names a credential, and each shows the masked URL', async () => {
    expect(printed(up)).not.toMatch(SECRET)
    const again = await cli(['up'])
    expect(again.code, again.stderr).toBe(0)
    for (const args of [['config'], ['config', '--json'], ['resolve', '--explain'], ['resolve', '--explain', '--json'], ['dockerfile'], ['doctor'], ['doctor', '--json']]) {
      const r = await cli(args)
      expect(printed(r), args.join(' ')).not.toMatch(SECRET)
    }
    for (const r of [again]) expect(printed(r)).not.toMatch(SECRET)
    const config = await cli(['config'])
    expect(config.stdout).toContain('ci:***@127.0.0.1')
    expect(config.stdout).toContain('proxyuser:***@127.0.0.1')
    const explain = await cli(['resolve', '--explain', '--json'])
    expect(explain.stdout).toContain('ci:***@127.0.0.1')
  })

  it("down removes the environment's notebook token file from the state folder", async () => {
    const name = (up.json as { container: string }).container
    const tokenFile = ws.path(`.xdg/state/envctl/notebooks/${name}.token`)
    await runProcess('sh', ['-c', `mkdir -p "$(dirname '${tokenFile}')" && echo tok > '${tokenFile}'`], { cwd: ws.dir, user: ws.user })
    const down = await cli(['down', '--json'])
    expect(down.code, down.stderr).toBe(0)
    expect((down.json as { tokenFile: string }).tokenFile).toBe(tokenFile)
    expect(existsSync(tokenFile)).toBe(false)
  })

  it('envctl.lock holds no credential', () => {
    const lock = readFileSync(ws.path('envctl.lock'), 'utf8')
    expect(lock.length).toBeGreaterThan(100)
    expect(lock).not.toMatch(SECRET)
  })
})
