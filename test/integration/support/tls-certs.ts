/**
 * Certificates for a tcp+TLS test engine, made with openssl (engine-recipe.md §9.4): a CA, a server
 * certificate for one IP address, and a client certificate, as dockerd and DOCKER_CERT_PATH want them.
 */
import { execFile } from 'node:child_process'
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

const run = promisify(execFile)
const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']

/** A CA in `dir` (ca.pem, ca-key.pem) and, signed by it, a client pair (cert.pem, key.pem): a DOCKER_CERT_PATH. */
export async function makeCa(dir: string, name: string): Promise<void> {
  await mkdir(dir, { recursive: true })
  await run('openssl', ['req', '-x509', ...EC, '-keyout', join(dir, 'ca-key.pem'), '-out', join(dir, 'ca.pem'), '-days', '2', '-subj', `/CN=${name}`])
  await signed(dir, 'client', 'extendedKeyUsage=clientAuth\n', 'cert.pem', 'key.pem')
}

/** server-cert.pem / server-key.pem for `ip`, signed by the CA in `dir`. */
export async function makeServerCert(dir: string, ip: string): Promise<void> {
  await signed(dir, 'server', `subjectAltName=IP:${ip}\nextendedKeyUsage=serverAuth\n`, 'server-cert.pem', 'server-key.pem')
}

async function signed(dir: string, cn: string, ext: string, certName: string, keyName: string): Promise<void> {
  const extFile = join(dir, `${cn}.ext`)
  await writeFile(extFile, ext)
  await run('openssl', ['req', ...EC, '-keyout', join(dir, keyName), '-out', join(dir, `${cn}.csr`), '-subj', `/CN=${cn}`])
  await run('openssl', ['x509', '-req', '-in', join(dir, `${cn}.csr`), '-CA', join(dir, 'ca.pem'), '-CAkey', join(dir, 'ca-key.pem'), '-CAcreateserial', '-out', join(dir, certName), '-days', '2', '-extfile', extFile])
  // The CLI runs as an unprivileged test user: it must read the client key; test material only.
  await chmod(join(dir, keyName), 0o644)
}
