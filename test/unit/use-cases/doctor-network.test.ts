import { createServer as createHttpServer, request, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { createServer as createTcpServer, connect, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Engine } from '../../../src/engine/engine.js'
import { DEFAULT_CHECKS } from '../../../src/doctor/checks.js'
import { endpointsOf, networkCheck, type NetworkSettings } from '../../../src/doctor/network.js'
import { runChecks, type DoctorContext } from '../../../src/doctor/doctor.js'
import { bypassesProxy } from '../../../src/doctor/probe.js'
import { makePrivateCa } from '../../integration/support/tls-mirror.js'
import { stackDir } from '../stack/helpers.js'

const listen = async (server: Server | ReturnType<typeof createHttpsServer>): Promise<number> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return (server.address() as AddressInfo).port
}

/** A stand-in mirror: /simple/ and /-/ping answer 200, /v2/ 401 (as registries do), /boom 500, the rest 404. */
const handler = (req: { url?: string }, res: { writeHead(s: number): void; end(): void }) => {
  const status = req.url === '/simple/' || req.url === '/-/ping' || req.url === '/debian/' ? 200 : req.url === '/v2/' ? 401 : req.url?.startsWith('/boom') ? 500 : 404
  res.writeHead(status)
  res.end()
}

/** A forward proxy for http:// URLs and CONNECT tunnels, counting what passed through it. */
function startProxy(): { server: Server; seen: string[] } {
  const seen: string[] = []
  const server = createHttpServer((req, res) => {
    seen.push(`GET ${req.url}`)
    const target = new URL(req.url!)
    request({ host: target.hostname, port: target.port, path: target.pathname, method: 'GET' }, (up) => {
      res.writeHead(up.statusCode ?? 502)
      up.pipe(res)
    }).end()
  })
  server.on('connect', (req, socket) => {
    seen.push(`CONNECT ${req.url}`)
    const [host, port] = req.url!.split(':')
    const up = connect(Number(port), host, () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      up.pipe(socket)
      socket.pipe(up)
    })
  })
  return { server, seen }
}

const ca = makePrivateCa()
const http = createHttpServer(handler)
const https = createHttpsServer({ key: ca.serverKey, cert: ca.serverCert }, handler)
const proxy = startProxy()
let httpPort = 0
let httpsPort = 0
let proxyPort = 0
let closedPort = 0

beforeAll(async () => {
  ;[httpPort, httpsPort, proxyPort] = await Promise.all([listen(http), listen(https), listen(proxy.server)])
  const tcp = createTcpServer()
  closedPort = await listen(tcp as unknown as Server)
  await new Promise((resolve) => tcp.close(resolve))
})

afterAll(() => {
  for (const s of [http, https, proxy.server]) {
    s.closeAllConnections?.()
    s.close()
  }
})

function context(settings: NetworkSettings): DoctorContext {
  return {
    engine: { host: 'unix:///var/run/docker.sock', local: true } as Engine,
    engineFacts: async () => ({ error: new (class extends Error {})('x') as never }),
    gpus: async () => ({ gpus: [], driver: null, driverCuda: null }),
    freeBytes: async () => 0,
    refusedLimits: async () => ({ refused: [] }),
    plannedBuild: async () => null,
    settings: async () => settings,
    probeTimeoutMs: 1000,
  }
}

const at = (file: string, line: number) => ({ file, line, column: 1 })

async function check(mirrors: NetworkSettings['mirrors'], network: NetworkSettings['network'] = {}, provenance: NetworkSettings['provenance'] = {}) {
  const results = [await networkCheck(context({ mirrors, network, provenance }))].flat()
  return Object.fromEntries(results.map((r) => [r.name, r]))
}

describe('doctor: endpoints of the configured mirrors', () => {
  it('asks each kind of mirror what it answers: the index page, /-/ping, /v2/', () => {
    expect(endpointsOf({ pip: 'http://m/simple', npm: 'https://n/', registry: '127.0.0.1:5000', apt: 'http://a/debian', maven: 'https://mv/repo/', pytorch: 'http://m/whl', pipFindLinks: ['file:///wheels', 'http://m/links/'] }).map((e) => e.url)).toEqual([
      'http://m/simple/', 'http://m/links/', 'http://m/whl/cpu/', 'http://a/debian/', 'https://n/-/ping', 'https://mv/repo/', 'http://127.0.0.1:5000/v2/',
    ])
    expect(endpointsOf({ registry: 'mirror.example:5000/docker' })[0].url).toBe('https://mirror.example:5000/v2/')
  })

  it('nothing configured: no checks, and the engine checks are as before', async () => {
    expect(await networkCheck(context({ mirrors: {}, network: {}, provenance: {} }))).toEqual([])
    const { settings: _s, ...plain } = context({ mirrors: {}, network: {}, provenance: {} })
    expect(await networkCheck(plain)).toEqual([])
    expect((await runChecks(plain, DEFAULT_CHECKS)).checks.map((c) => c.name)).toEqual(['engine', 'buildkit', 'nvidia-runtime', 'gpu', 'ulimits', 'gpu-build', 'disk'])
  })

  it('a mirror that answers is ok, with the time and where it was set', async () => {
    const r = await check({ pip: `http://127.0.0.1:${httpPort}/simple`, npm: `http://127.0.0.1:${httpPort}` }, {}, { 'mirrors.pip': at('/home/ada/.config/envctl/config.toml', 2) })
    expect(r['pip index']).toMatchObject({ status: 'ok', detail: expect.stringMatching(new RegExp(`^http://127\\.0\\.0\\.1:${httpPort}/simple/ answered HTTP 200 in \\d+ ms \\(mirrors\\.pip, /home/ada/\\.config/envctl/config\\.toml:2:1\\)$`)) })
    expect(r["npm registry"], r["npm registry"].detail).toMatchObject({ status: "ok" })
  })

  it('a registry /v2/ asking for credentials is ok; 404 warns; 500 and no answer fail with a fix', async () => {
    const r = await check({ registry: `127.0.0.1:${httpPort}`, apt: `http://127.0.0.1:${httpPort}/nope`, maven: `http://127.0.0.1:${httpPort}/boom`, pip: `http://127.0.0.1:${closedPort}/simple` }, {}, { 'mirrors.pip': at('envctl.toml', 7) })
    expect(r['registry mirror'].status).toBe('ok')
    expect(r['apt mirror']).toMatchObject({ status: 'warn', fix: expect.stringContaining('check the URL: mirrors.apt') })
    expect(r['maven mirror']).toMatchObject({ status: 'fail', code: 'NETWORK_CHECK_FAILED' })
    expect(r['pip index']).toMatchObject({ status: 'fail', code: 'NETWORK_CHECK_FAILED', detail: expect.stringContaining('ECONNREFUSED'), fix: expect.stringContaining('check mirrors.pip (envctl.toml:7:1)') })
  })

  it('an https mirror signed by a private CA fails until network.ca_bundle names the CA', async () => {
    const mirrors = { pip: `https://127.0.0.1:${httpsPort}/simple` }
    const untrusted = await check(mirrors)
    expect(untrusted['pip index']).toMatchObject({ status: 'fail', fix: expect.stringContaining('set network.ca_bundle') })
    const file = join(stackDir({ 'ca.pem': ca.caPem }), 'ca.pem')
    const trusted = await check(mirrors, { caBundle: file })
    expect(trusted['ca bundle']).toMatchObject({ status: 'ok', detail: expect.stringContaining('1 certificate, mounted into download steps only') })
    expect(trusted['pip index'].status).toBe('ok')
  })

  it('a CA bundle that is missing or not PEM fails', async () => {
    const dir = stackDir({ 'der.cer': 'not pem' })
    expect((await check({}, { caBundle: join(dir, 'gone.pem') }))['ca bundle']).toMatchObject({ status: 'fail', detail: expect.stringContaining('ENOENT') })
    expect((await check({}, { caBundle: join(dir, 'der.cer') }))['ca bundle']).toMatchObject({ status: 'fail', fix: expect.stringContaining('openssl x509') })
  })

  it('probes go through the proxy (http: absolute URL, https: CONNECT) unless no_proxy exempts the host', async () => {
    const proxyUrl = `http://127.0.0.1:${proxyPort}`
    const file = join(stackDir({ 'ca.pem': ca.caPem }), 'ca.pem')
    proxy.seen.length = 0
    const r = await check({ pip: `http://127.0.0.1:${httpPort}/simple`, npm: `https://127.0.0.1:${httpsPort}` }, { httpProxy: proxyUrl, httpsProxy: proxyUrl, caBundle: file })
    expect(r['http proxy'].status).toBe('ok')
    expect(r['https proxy'].status).toBe('ok')
    expect(r['pip index'].status).toBe('ok')
    expect(r["npm registry"], r["npm registry"].detail).toMatchObject({ status: "ok" })
    expect(proxy.seen.sort()).toEqual([`CONNECT 127.0.0.1:${httpsPort}`, `GET http://127.0.0.1:${httpPort}/simple/`])
    proxy.seen.length = 0
    await check({ pip: `http://127.0.0.1:${httpPort}/simple` }, { httpProxy: proxyUrl, noProxy: 'localhost,127.0.0.1' })
    expect(proxy.seen).toEqual([])
  })

  it('a proxy that does not accept connections fails with where it was set', async () => {
    const r = await check({}, { httpsProxy: `http://127.0.0.1:${closedPort}` }, { 'network.https_proxy': at('/home/ada/.config/envctl/config.toml', 5) })
    expect(r['https proxy']).toMatchObject({ status: 'fail', code: 'NETWORK_CHECK_FAILED', fix: expect.stringContaining('network.https_proxy at /home/ada/.config/envctl/config.toml:5') })
  })

  it.each([
    ['registry.corp.example', '.corp.example', true],
    ['corp.example', '.corp.example', true],
    ['x.corp.example', 'corp.example', true],
    ['notcorp.example', 'corp.example', false],
    ['pypi.org', 'localhost,127.0.0.1', false],
    ['anything', '*', true],
  ])('no_proxy: %s against %s → %s', (host, noProxy, bypass) => {
    expect(bypassesProxy(host, noProxy)).toBe(bypass)
  })
})
