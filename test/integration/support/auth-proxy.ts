/**
 * A tiny forward HTTP proxy that REQUIRES Proxy-Authorization (Basic, the given user and password) and
 * counts what it forwarded, so a test proves that credentials in a proxy URL were actually used. Plain
 * http:// targets only (absolute-form requests); anything unauthenticated gets 407 and is counted apart.
 */
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface AuthProxy {
  /** http://127.0.0.1:PORT, without credentials. */
  readonly origin: string
  readonly port: number
  /** Requests forwarded with the right credentials. */
  readonly forwarded: () => number
  /** Requests refused: no or wrong Proxy-Authorization. */
  readonly refused: () => number
  close(): Promise<void>
}

function forward(req: IncomingMessage, res: ServerResponse): void {
  const target = new URL(req.url ?? '/')
  const headers = { ...req.headers }
  delete headers['proxy-authorization']
  delete headers['proxy-connection']
  const up = request({ host: target.hostname, port: target.port || 80, path: `${target.pathname}${target.search}`, method: req.method, headers }, (r) => {
    res.writeHead(r.statusCode ?? 502, r.headers)
    r.pipe(res)
  })
  up.on('error', (e) => {
    res.writeHead(502)
    res.end(String(e))
  })
  req.pipe(up)
}

export async function startAuthProxy(user: string, password: string): Promise<AuthProxy> {
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
  let forwarded = 0
  let refused = 0
  const server = createServer((req, res) => {
    if (req.headers['proxy-authorization'] !== expected || !/^http:\/\//.test(req.url ?? '')) {
      refused++
      res.writeHead(407, { 'Proxy-Authenticate': 'Basic realm="envctl-test"' })
      res.end()
      return
    }
    forwarded++
    forward(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  return {
    origin: `http://127.0.0.1:${port}`,
    port,
    forwarded: () => forwarded,
    refused: () => refused,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
