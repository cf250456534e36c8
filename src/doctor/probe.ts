import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { connect as netConnect, isIP } from 'node:net'
import { connect as tlsConnect, rootCertificates } from 'node:tls'

// Small HTTP(S) probes for `envctl doctor`: one request, headers only, a short timeout, through the
// configured proxy unless no_proxy exempts the host, trusting the configured CA on top of Node's roots.

export interface ProbeOptions {
  timeoutMs: number
  /** PEM CA bundle trusted in addition to Node's built-in roots. */
  ca?: string
  /** Proxy URL (http://host:port) for this request, already chosen for the URL's scheme. */
  proxy?: string
}

export type ProbeResult =
  | { ok: true; status: number; ms: number }
  | { ok: false; error: string; code?: string; tls: boolean; ms: number }

const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS|EPROTO|ERR_SSL/

function failure(err: NodeJS.ErrnoException, started: number): ProbeResult {
  const code = err.code
  return { ok: false, error: err.message, ...(code ? { code } : {}), tls: TLS_CODES.test(code ?? '') || /certificate/i.test(err.message), ms: Date.now() - started }
}

/** Whether `host` bypasses the proxy: exact names, `.domain`/`domain` suffixes, and `*`. */
export function bypassesProxy(host: string, noProxy: string | undefined): boolean {
  const entries = (noProxy ?? '').split(',').map((e) => e.trim().toLowerCase()).filter(Boolean)
  const h = host.toLowerCase().replace(/^\[|\]$/g, '')
  return entries.some((e) => e === '*' || h === e.replace(/^\./, '') || h.endsWith(e.startsWith('.') ? e : `.${e}`))
}

/** Resolves with the status of a GET of `url` (the body is not read), or why there was none. */
export function probeHttp(url: string, opts: ProbeOptions): Promise<ProbeResult> {
  const started = Date.now()
  const target = new URL(url)
  const ca = opts.ca ? [...rootCertificates, opts.ca] : undefined
  return new Promise((resolve) => {
    const done = (r: ProbeResult) => {
      clearTimeout(timer)
      resolve(r)
    }
    const onResponse = (res: IncomingMessage) => {
      res.resume()
      done({ ok: true, status: res.statusCode ?? 0, ms: Date.now() - started })
    }
    let req: ClientRequest | undefined
    const timer = setTimeout(() => {
      req?.destroy()
      done({ ok: false, error: `no answer within ${opts.timeoutMs} ms`, code: 'ETIMEDOUT', tls: false, ms: Date.now() - started })
    }, opts.timeoutMs)
    const onError = (err: Error) => done(failure(err as NodeJS.ErrnoException, started))
    req = opts.proxy ? viaProxy(target, new URL(opts.proxy), ca, onResponse, onError) : direct(target, ca, onResponse)
    req?.on('error', onError)
  })
}

function direct(target: URL, ca: string[] | undefined, onResponse: (res: IncomingMessage) => void): ClientRequest {
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest
  const req = request(target, { method: 'GET', agent: false, ...(ca ? { ca } : {}) }, onResponse)
  req.end()
  return req
}

/** http:// through the proxy with an absolute URL; https:// through a CONNECT tunnel, TLS end to end. */
function viaProxy(target: URL, proxy: URL, ca: string[] | undefined, onResponse: (res: IncomingMessage) => void, onError: (err: Error) => void): ClientRequest {
  const proxyPort = Number(proxy.port || (proxy.protocol === 'https:' ? 443 : 80))
  if (target.protocol === 'http:') {
    const req = httpRequest({ host: proxy.hostname, port: proxyPort, method: 'GET', path: target.href, headers: { host: target.host }, agent: false }, onResponse)
    req.end()
    return req
  }
  const port = Number(target.port || 443)
  const connect = httpRequest({ host: proxy.hostname, port: proxyPort, method: 'CONNECT', path: `${target.hostname}:${port}`, agent: false })
  connect.on('connect', (res, socket) => {
    if (res.statusCode !== 200) {
      socket.destroy()
      onError(Object.assign(new Error(`the proxy answered CONNECT with HTTP ${res.statusCode}`), { code: 'EPROXY' }))
      return
    }
    // SNI takes host names only (RFC 6066); certificates for IPs are still checked against the IP.
    const servername = isIP(target.hostname) ? undefined : target.hostname
    const tls = () => tlsConnect({ socket, host: target.hostname, ...(servername ? { servername } : {}), ...(ca ? { ca } : {}) })
    // No agent: with one, Node would ignore createConnection and dial the server directly.
    const req = httpsRequest(target, { method: 'GET', createConnection: tls }, onResponse)
    req.on('error', onError)
    req.end()
  })
  connect.end()
  return connect
}

/** Whether a TCP connection to host:port opens within the timeout. */
export function probeTcp(host: string, port: number, timeoutMs: number): Promise<ProbeResult> {
  const started = Date.now()
  return new Promise((resolve) => {
    const socket = netConnect({ host, port })
    const finish = (r: ProbeResult) => {
      socket.destroy()
      resolve(r)
    }
    socket.setTimeout(timeoutMs, () => finish({ ok: false, error: `no answer within ${timeoutMs} ms`, code: 'ETIMEDOUT', tls: false, ms: Date.now() - started }))
    socket.once('connect', () => finish({ ok: true, status: 0, ms: Date.now() - started }))
    socket.once('error', (err) => finish(failure(err as NodeJS.ErrnoException, started)))
  })
}
