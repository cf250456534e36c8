import { describe, expect, it } from 'vitest'
import { renderDockerfile } from '../../../src/render/render-dockerfile.js'
import { CA_CONTEXT_FILE, CA_MOUNT, caMounts, withCa } from '../../../src/render/ca.js'
import { loadResolved } from './fixtures.js'

const CA = '/home/someone/corp/ca.pem'
const MOUNT = `--mount=type=bind,source=${CA_CONTEXT_FILE},target=${CA_MOUNT}`

/** The RUN instructions of a Dockerfile, each as one string (continuations joined). */
function runs(dockerfile: string): string[] {
  return dockerfile.replace(/ \\\n/g, ' ').split('\n').filter((l) => l.startsWith('RUN ')).map((l) => l.replace(/\s+/g, ' '))
}

describe('CA bundle in the build', () => {
  const withCaStack = () => {
    const r = loadResolved('with-mirrors')
    r.network = { caBundle: CA }
    return r
  }

  it('changes nothing without a CA (the goldens hold the text)', () => {
    expect(caMounts(loadResolved('with-mirrors'))).toEqual([])
    expect(withCa(loadResolved('with-mirrors'), 'pip', ['x'])).toEqual(['x'])
    expect(renderDockerfile(loadResolved('with-mirrors'))).not.toMatch(/envctl-ca|ca-certificates|PIP_CERT/)
  })

  it('every RUN that downloads (apt, pip, npm) bind-mounts the CA and trusts it through the tool\'s own setting, for that RUN only', () => {
    const text = renderDockerfile(withCaStack())
    const downloads = runs(text).filter((l) => /apt-get|pip install|npm install|mvn /.test(l))
    expect(downloads).toHaveLength(3)
    for (const run of downloads) expect(run).toContain(MOUNT)
    const [apt, pip, npm] = downloads
    expect(apt).toMatch(/cat \/etc\/ssl\/certs\/ca-certificates\.crt 2>\/dev\/null \|\| true; cat \/run\/envctl\/ca\.pem; } > \/tmp\/envctl-ca\.pem/)
    expect(apt).toMatch(/Acquire::https::CAInfo "\/tmp\/envctl-ca\.pem".* export APT_CONFIG=\/tmp\/envctl-apt\.conf .* apt-get update .* rm -f \/tmp\/envctl-ca\.pem \/tmp\/envctl-apt\.conf$/)
    expect(pip).toMatch(/export PIP_CERT=\/tmp\/envctl-ca\.pem REQUESTS_CA_BUNDLE=\/tmp\/envctl-ca\.pem SSL_CERT_FILE=\/tmp\/envctl-ca\.pem .* pip install .* && rm -f \/tmp\/envctl-ca\.pem$/)
    expect(npm).toMatch(/export NODE_EXTRA_CA_CERTS=\/run\/envctl\/ca\.pem && .*npm install -g/)
  })

  it('the host path of the CA never appears in the Dockerfile, and nothing copies it into a layer', () => {
    const text = renderDockerfile(withCaStack())
    expect(text).not.toContain(CA)
    expect(text).not.toMatch(/^(COPY|ADD) /m)
    expect(text).not.toMatch(/^ENV .*(PIP_CERT|SSL_CERT_FILE|NODE_EXTRA_CA_CERTS)/m)
    expect(text).toContain('# CA bundle (network.ca_bundle): each download step bind-mounts it for that step only; it is in no layer')
  })

  it('maven gets a copy of the JDK truststore with each certificate of the bundle imported, in /tmp, removed by the same RUN', () => {
    const r = loadResolved('java-maven-mirror')
    r.network = { caBundle: CA }
    const [mvn] = runs(renderDockerfile(r)).filter((l) => l.includes('mvn '))
    expect(mvn).toContain(MOUNT)
    expect(mvn).toMatch(/cp -L ".*\/lib\/security\/cacerts" \/tmp\/envctl-truststore\.jks/)
    expect(mvn).toMatch(/keytool -importcert -noprompt .* -keystore \/tmp\/envctl-truststore\.jks/)
    expect(mvn).toMatch(/export MAVEN_OPTS="-Djavax\.net\.ssl\.trustStore=\/tmp\/envctl-truststore\.jks -Djavax\.net\.ssl\.trustStorePassword=changeit" .* mvn -B/)
    expect(mvn).toMatch(/rm -f \/tmp\/envctl-truststore\.jks \/tmp\/envctl-ca-\*\.pem$/)
  })

  it('with ca_in_image the CA is copied into the trust store once, right after FROM, and no step mounts it', () => {
    const r = withCaStack()
    r.network.caInImage = true
    const text = renderDockerfile(r)
    expect(text).not.toContain(MOUNT)
    const lines = text.split('\n')
    const from = lines.findIndex((l) => l.startsWith('FROM '))
    expect(lines.slice(from + 2, from + 5)).toEqual([
      '# CA bundle installed into the image trust store (network.ca_in_image = true)',
      `COPY ${CA_CONTEXT_FILE} /usr/local/share/ca-certificates/envctl-ca.crt`,
      'RUN if command -v update-ca-certificates > /dev/null; then update-ca-certificates; else mkdir -p /etc/ssl/certs && cat /usr/local/share/ca-certificates/envctl-ca.crt >> /etc/ssl/certs/ca-certificates.crt; fi',
    ])
    expect(text).toMatch(/^ENV NODE_EXTRA_CA_CERTS=\/usr\/local\/share\/ca-certificates\/envctl-ca\.crt/m)
  })

  it('is deterministic', () => {
    expect(renderDockerfile(withCaStack())).toBe(renderDockerfile(withCaStack()))
  })
})
