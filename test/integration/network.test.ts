/**
 * Mirrors, proxies and CA bundles on a real engine: a pip index served over TLS by a private CA (made here
 * with openssl), the corporate-CA path against the real npm registry, and what reaches the final image.
 */
import { readFileSync } from 'node:fs'
import { writeFile } from 'node:fs/promises'
import { afterAll, beforeAll, expect, it } from 'vitest'
import Docker from 'dockerode'
import { describeEngine } from './support/engine.js'
import { runCli } from './support/cli.js'
import { makeWorkspace, type Workspace } from './support/fixtures.js'
import { testMirrors, testRunId, testRunLabels } from './support/cleanup.js'
import { makePrivateCa, startTlsFront, type PrivateCa, type TlsFront } from './support/tls-mirror.js'

const docker = new Docker()
const id = testRunId().replace(/[^a-z0-9]/g, '')
const tlsEnv = `it-tls-${id}`
const npmEnv = `it-ca-npm-${id}`
const HOST_BUNDLE = '/etc/ssl/certs/ca-certificates.crt'

function pythonStack(pipIndex: string, network = ''): string {
  return `name = "${tlsEnv}"\n[python]\nversion = "3.11"\n[packages]\npip = ["requests"]\n[gpu]\nmode = "none"\n[mirrors]\npip = "${pipIndex}"\n[network]\nbuild_network = "host"\n${network}`
}

/** Runs `cmd` in a throwaway container of `image` (host network, so it reaches 127.0.0.1) and returns its output. */
async function inImage(image: string, cmd: string[], env: string[] = []): Promise<{ code: number; out: string }> {
  const c = await docker.createContainer({ Image: image, Cmd: cmd, Env: env, Labels: testRunLabels(), User: '0', HostConfig: { NetworkMode: 'host' } })
  try {
    await c.start()
    const { StatusCode } = (await c.wait()) as { StatusCode: number }
    const logs = (await c.logs({ stdout: true, stderr: true })) as unknown as Buffer
    return { code: StatusCode, out: demux(logs) }
  } finally {
    await c.remove({ force: true })
  }
}

/** Docker's multiplexed log stream (8-byte frame headers) as text. */
function demux(buf: Buffer): string {
  const parts: Buffer[] = []
  for (let i = 0; i + 8 <= buf.length; ) {
    const size = buf.readUInt32BE(i + 4)
    parts.push(buf.subarray(i + 8, i + 8 + size))
    i += 8 + size
  }
  return Buffer.concat(parts).toString('utf8')
}

/** One line of the CA's base64 body: present in a file exactly when the CA was copied into it. */
function fingerprintLine(pem: string): string {
  return pem.split('\n').filter((l) => l && !l.startsWith('-----'))[1]!
}

async function imagesOf(stack: string) {
  return docker.listImages({ filters: JSON.stringify({ label: [`dev.envctl.stack=${stack}`] }) })
}

async function removeStack(stack: string): Promise<void> {
  for (const c of await docker.listContainers({ all: true, filters: JSON.stringify({ label: [`dev.envctl.stack=${stack}`] }) })) {
    await docker.getContainer(c.Id).remove({ force: true }).catch(() => {})
  }
  for (const img of await imagesOf(stack)) await docker.getImage(img.Id).remove({ force: true }).catch(() => {})
}

describeEngine('mirrors and CA bundles on a real engine', () => {
  let ca: PrivateCa
  let front: TlsFront
  let ws: Workspace
  let xdg: Record<string, string>

  beforeAll(async () => {
    ca = makePrivateCa()
    front = await startTlsFront(ca, new URL(testMirrors().pipIndex).origin)
    ws = await makeWorkspace({ 'envctl.toml': pythonStack(`${front.origin}/simple`), 'ca.pem': ca.caPem, '.xdg/config/.keep': '', '.xdg/cache/.keep': '' })
    // The CLI runs as envctl-ci: its user config and caches live in this workspace, never in root's home.
    xdg = { XDG_CONFIG_HOME: ws.path('.xdg/config'), XDG_CACHE_HOME: ws.path('.xdg/cache') }
  })

  afterAll(async () => {
    await removeStack(tlsEnv)
    await removeStack(npmEnv)
    await front?.close()
    await ws?.remove()
  })

  it('a pip index behind a private CA fails to build without the CA, naming the certificate problem', async () => {
    const r = await runCli(['build'], { cwd: ws.dir, user: ws.user, env: xdg })
    expect(r.code, r.stderr).toBe(12)
    expect(r.stderr).toMatch(/CERTIFICATE_VERIFY_FAILED|certificate verify failed/i)
    expect(r.stderr).toMatch(/set network\.ca_bundle/)
    expect(await imagesOf(tlsEnv)).toHaveLength(0)
  })

  it('builds with network.ca_bundle, and the CA is in no layer of the image', async () => {
    await writeFile(ws.path('envctl.toml'), pythonStack(`${front.origin}/simple`, 'ca_bundle = "ca.pem"\n'))
    const r = await runCli(['build', '--json'], { cwd: ws.dir, user: ws.user, env: xdg })
    expect(r.code, r.stderr).toBe(0)
    const image = (r.json as { image: string }).image

    const line = fingerprintLine(ca.caPem)
    const search = await inImage(image, ['sh', '-c', `find /run/envctl /tmp -mindepth 1 2>/dev/null; grep -rlF '${line}' /etc /usr/local/share /opt /run /tmp 2>/dev/null; true`])
    expect(search.out.trim()).toBe('')
    const history = await docker.getImage(image).history()
    expect(history.map((h: { CreatedBy: string }) => h.CreatedBy).join('\n')).not.toMatch(/COPY envctl-ca\.pem|update-ca-certificates/)
    const config = await docker.getImage(image).inspect()
    expect((config.Config.Env ?? []).join('\n')).not.toMatch(/PIP_CERT|SSL_CERT_FILE|NODE_EXTRA_CA_CERTS/)

    // Without the run-time mount, python in that image does not trust the private index.
    const fetch = `import urllib.request; urllib.request.urlopen('${front.origin}/simple/requests/')`
    const untrusted = await inImage(image, ['python', '-c', fetch])
    expect(untrusted.code).not.toBe(0)
    expect(untrusted.out).toMatch(/CERTIFICATE_VERIFY_FAILED/)
  })

  it('the running environment gets the CA read-only and the tools are pointed at it', async () => {
    const up = await runCli(['up', '--json'], { cwd: ws.dir, user: ws.user, env: xdg })
    expect(up.code, up.stderr).toBe(0)
    expect((up.json as { mounts: Array<{ target: string }> }).mounts.map((m) => m.target)).toContain('/run/envctl/ca.pem')
    const probe = "import os, ssl; b = os.environ['SSL_CERT_FILE']; print(os.environ['PIP_CERT'] == b, len(ssl.create_default_context(cafile=b).get_ca_certs()) > 1); open('/run/envctl/ca.pem', 'a')"
    const r = await runCli(['exec', '--', 'python', '-c', probe], { cwd: ws.dir, user: ws.user, env: xdg })
    expect(r.stdout.trim().split('\n')[0]).toBe('True True')
    expect(r.stderr).toMatch(/Read-only file system|Permission denied/)
    const bundle = await runCli(['exec', '--', 'sh', '-c', 'cat "$SSL_CERT_FILE"'], { cwd: ws.dir, user: ws.user, env: xdg })
    expect(bundle.stdout).toContain(fingerprintLine(ca.caPem))
    expect((await runCli(['down'], { cwd: ws.dir, user: ws.user, env: xdg })).code).toBe(0)
  })

  it('with network.ca_in_image the CA is installed into the image trust store', async () => {
    await writeFile(ws.path('envctl.toml'), pythonStack(`${front.origin}/simple`, 'ca_bundle = "ca.pem"\nca_in_image = true\n'))
    const r = await runCli(['build', '--json'], { cwd: ws.dir, user: ws.user, env: xdg })
    expect(r.code, r.stderr).toBe(0)
    const image = (r.json as { image: string }).image
    const trusted = await inImage(image, ['python', '-c', `import urllib.request; print(urllib.request.urlopen('${front.origin}/simple/requests/').status)`])
    expect(trusted.out.trim(), trusted.out).toBe('200')
    const store = await inImage(image, ['grep', '-cF', fingerprintLine(ca.caPem), HOST_BUNDLE])
    expect(Number(store.out.trim())).toBeGreaterThan(0)
  })

  // This machine's network intercepts TLS to the npm registry; the host's bundle carries the interception CA,
  // containers do not. Pointing network.ca_bundle at the host's bundle is the corporate-CA recipe.
  it('a node stack installs from the real npm registry through an intercepting proxy with the host CA bundle', async () => {
    const node = await makeWorkspace({ 'envctl.toml': `name = "${npmEnv}"\n[node]\nversion = "20"\n[packages]\nnpm = ["left-pad"]\n[gpu]\nmode = "none"\n[network]\nca_bundle = "${HOST_BUNDLE}"\n` })
    try {
      // --no-cache: the npm step must really reach the registry on every run, not come from BuildKit's cache.
      const r = await runCli(['build', '--json', '--no-cache'], { cwd: node.dir, user: node.user, env: xdg, timeoutMs: 300_000 })
      expect(r.code, r.stderr).toBe(0)
      const image = (r.json as { image: string }).image
      const installed = await inImage(image, ['sh', '-c', 'npm ls -g --depth=0 left-pad; find /run/envctl /tmp -mindepth 1 2>/dev/null'])
      expect(installed.out).toMatch(/left-pad@/)
      expect(installed.out).not.toMatch(/ca\.pem/)
      expect(readFileSync(node.path('envctl.toml'), 'utf8')).toContain(HOST_BUNDLE)
    } finally {
      await node.remove()
    }
  })
})
