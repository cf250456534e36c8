/**
 * A private CA and an HTTPS front for the local pip mirror, for tests of network.ca_bundle: the CA and the
 * server certificate (for 127.0.0.1) are made with the system's openssl; the server proxies every request to
 * the plain-http mirror, so pip sees a private index served over TLS.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { createServer, type Server } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface PrivateCa {
  /** PEM of the CA certificate: what network.ca_bundle names. */
  caPem: string
  serverKey: string
  serverCert: string
}

function openssl(args: string[], cwd: string): void {
  execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] })
}

/** A throwaway CA and a certificate for 127.0.0.1 signed by it (EC keys: fast to make). */
export function makePrivateCa(): PrivateCa {
  const dir = mkdtempSync(join(tmpdir(), 'envctl-ca-'))
  try {
    const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
    openssl(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=envctl test CA',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir)
    openssl(['req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1'], dir)
    writeFileSync(join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n')
    openssl(['x509', '-req', '-in', 'server.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.pem', '-days', '2', '-extfile', 'ext.cnf'], dir)
    const read = (f: string) => readFileSync(join(dir, f), 'utf8')
    return { caPem: read('ca.pem'), serverKey: read('server.key'), serverCert: read('server.pem') }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export interface TlsFront {
  /** https://127.0.0.1:<port> */
  origin: string
  close(): Promise<void>
}

/** Serves `upstream` (http://host:port) over HTTPS on a free port of 127.0.0.1. */
export async function startTlsFront(ca: PrivateCa, upstream: string): Promise<TlsFront> {
  const up = new URL(upstream)
  const server: Server = createServer({ key: ca.serverKey, cert: ca.serverCert }, (req, res) => {
    const forward = httpRequest({ host: up.hostname, port: up.port, path: req.url, method: req.method, headers: { ...req.headers, host: up.host } }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers)
      answer.pipe(res)
    })
    forward.on('error', (err) => res.destroy(err))
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    origin: `https://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()) }),
  }
}
