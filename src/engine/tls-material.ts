import { readFileSync } from 'node:fs'
import { EnvctlError } from '../errors/envctl-error.js'
import type { TlsFiles } from './engine-endpoint.js'

/** What docker-modem takes for https: PEM contents. */
export interface TlsMaterial {
  ca?: Buffer
  cert?: Buffer
  key?: Buffer
}

/**
 * Reads the TLS files as the docker CLI does: the CA is required when the engine's certificate is checked;
 * a client certificate and key are optional, but come as a pair.
 */
export function loadTls(tls: TlsFiles): TlsMaterial {
  const ca = read(tls, tls.ca, tls.verify)
  const cert = read(tls, tls.cert, false)
  const key = read(tls, tls.key, false)
  if (!cert !== !key) throw unusable(tls, cert ? tls.key : tls.cert, 'does not exist, and a client certificate needs its key (and the key its certificate)')
  return { ...(ca ? { ca } : {}), ...(cert && key ? { cert, key } : {}) }
}

function read(tls: TlsFiles, file: string, required: boolean): Buffer | undefined {
  try {
    return readFileSync(file)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    if (code === 'ENOENT' && !required) return undefined
    throw unusable(tls, file, code === 'ENOENT' ? "does not exist, and the engine's certificate cannot be checked without it" : `cannot be read (${code ?? String(err)})`)
  }
}

function unusable(tls: TlsFiles, file: string, problem: string): EnvctlError {
  return new EnvctlError('ENGINE_UNREACHABLE', `the TLS file ${file} (from ${tls.from}) ${problem}`, {
    hint: `put ca.pem, cert.pem and key.pem from the engine's administrator in ${tls.dir}, or point DOCKER_CERT_PATH at the folder that has them (docker context create … --docker "host=tcp://…,ca=…,cert=…,key=…" for a context)`,
  })
}
