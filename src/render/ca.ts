import type { ResolvedStack } from '../resolvers/types.js'
import type { Step } from './instructions.js'

// A CA bundle (network.ca_bundle) reaches the build as a build-context file. By default each RUN that
// downloads bind-mounts it and trusts it through the tool's own settings for that RUN only, so the CA never
// enters a layer; with network.ca_in_image it is installed into the image's trust store instead. The
// renderer only knows that there is a CA: its content is added to the context by the service layer.

/** The CA's name in the build context. */
export const CA_CONTEXT_FILE = 'envctl-ca.pem'
/** Where a download step (and the running environment) sees the CA. */
export const CA_MOUNT = '/run/envctl/ca.pem'
/** The system bundle plus the CA, built in /tmp by the RUN that needs it and removed by the same RUN. */
const COMBINED = '/tmp/envctl-ca.pem'
const APT_CONF = '/tmp/envctl-apt.conf'
const TRUSTSTORE = '/tmp/envctl-truststore.jks'
/** Where Debian and Ubuntu keep the system bundle, and where update-ca-certificates takes local CAs from. */
export const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt'
const LOCAL_CA = '/usr/local/share/ca-certificates/envctl-ca.crt'

export type CaTool = 'apt' | 'pip' | 'npm' | 'maven'

export function hasCa(r: ResolvedStack): boolean {
  return r.network.caBundle !== undefined
}

/** The CA is mounted into each download step (the default), rather than installed into the image. */
export function caPerStep(r: ResolvedStack): boolean {
  return hasCa(r) && r.network.caInImage !== true
}

/** The bind mount a download step adds, or nothing. */
export function caMounts(r: ResolvedStack): string[] {
  return caPerStep(r) ? [`--mount=type=bind,source=${CA_CONTEXT_FILE},target=${CA_MOUNT}`] : []
}

const combine = `{ cat ${SYSTEM_BUNDLE} 2>/dev/null || true; cat ${CA_MOUNT}; } > ${COMBINED}`

/** What each tool needs to trust the CA for this RUN: its own setting, never a change to the image. */
const TRUST: Record<CaTool, Step[]> = {
  // apt reads APT_CONFIG in place of /etc/apt/apt.conf; the CAInfo only matters for https:// sources.
  apt: [combine, `echo 'Acquire::https::CAInfo "${COMBINED}";' > ${APT_CONF}`, `export APT_CONFIG=${APT_CONF}`],
  // pip and requests replace their bundle with the one named, hence system + CA.
  pip: [combine, `export PIP_CERT=${COMBINED} REQUESTS_CA_BUNDLE=${COMBINED} SSL_CERT_FILE=${COMBINED}`],
  // Node adds NODE_EXTRA_CA_CERTS to its built-in roots, so npm needs nothing else.
  npm: [`export NODE_EXTRA_CA_CERTS=${CA_MOUNT}`],
  // Java: a copy of the JDK's truststore plus every certificate of the bundle (keytool imports one per call).
  maven: [
    `cp -L "\${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}/lib/security/cacerts" ${TRUSTSTORE}`,
    `awk '/BEGIN CERTIFICATE/ { n++ } n { print > ("/tmp/envctl-ca-" n ".pem") }' ${CA_MOUNT}`,
    `for c in /tmp/envctl-ca-*.pem; do keytool -importcert -noprompt -alias "$c" -file "$c" -keystore ${TRUSTSTORE} -storepass changeit > /dev/null || exit 1; done`,
    `export MAVEN_OPTS="-Djavax.net.ssl.trustStore=${TRUSTSTORE} -Djavax.net.ssl.trustStorePassword=changeit"`,
  ],
}

const CLEANUP: Record<CaTool, string> = {
  apt: `rm -f ${COMBINED} ${APT_CONF}`,
  pip: `rm -f ${COMBINED}`,
  npm: '',
  maven: `rm -f ${TRUSTSTORE} /tmp/envctl-ca-*.pem`,
}

/** A download step's own steps, wrapped so that it trusts the CA and leaves no copy of it behind. */
export function withCa(r: ResolvedStack, tool: CaTool, steps: Step[]): Step[] {
  if (!caPerStep(r)) return steps
  return [...TRUST[tool], ...steps, ...(CLEANUP[tool] ? [CLEANUP[tool]] : [])]
}

/** Environment that makes the tools use the system trust store once the CA is installed in it. */
export const IN_IMAGE_ENV: Array<[string, string]> = [
  ['NODE_EXTRA_CA_CERTS', LOCAL_CA],
  ['PIP_CERT', SYSTEM_BUNDLE],
  ['REQUESTS_CA_BUNDLE', SYSTEM_BUNDLE],
  ['SSL_CERT_FILE', SYSTEM_BUNDLE],
]

/** With network.ca_in_image: the CA becomes part of the image's trust store, before anything downloads. */
export function installCaSteps(): { copy: string; steps: Step[] } {
  return {
    copy: `COPY ${CA_CONTEXT_FILE} ${LOCAL_CA}`,
    // Images without the ca-certificates package get the bundle file written directly.
    steps: [`if command -v update-ca-certificates > /dev/null; then update-ca-certificates; else mkdir -p /etc/ssl/certs && cat ${LOCAL_CA} >> ${SYSTEM_BUNDLE}; fi`],
  }
}
