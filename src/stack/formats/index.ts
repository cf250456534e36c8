import { checkAptPackage, checkMavenCoordinate, checkNpmSpec, APT_PACKAGE, MAVEN_COORDINATE, NPM_SPEC } from './packages.js'
import { checkPipRequirement } from './pep508.js'
import { checkCudaVersion, checkVersionRange, CUDA_VERSION, VERSION_RANGE } from './versions.js'
import * as net from './network.js'
import { checkPortMapping, PORT_MAPPING } from './port-mapping.js'
import { checkSize, SIZE } from './size.js'
import * as text from './text.js'
import * as engine from './engine.js'

/**
 * Checks the JSON schema cannot express. A schema node names one with `format`; the validator calls
 * `check`, and the generated schema also carries `pattern` so editors flag the same values as you type.
 */
export interface Format {
  pattern?: RegExp
  check(value: string): string | undefined
}

export const FORMATS = {
  'pep508-requirement': { check: checkPipRequirement },
  'apt-package': { pattern: APT_PACKAGE, check: checkAptPackage },
  'npm-spec': { pattern: NPM_SPEC, check: checkNpmSpec },
  'maven-coordinate': { pattern: MAVEN_COORDINATE, check: checkMavenCoordinate },
  'version-range': { pattern: VERSION_RANGE, check: checkVersionRange },
  'cuda-version': { pattern: CUDA_VERSION, check: checkCudaVersion },
  'mirror-url': { pattern: net.MIRROR_URL, check: net.checkMirrorUrl },
  'proxy-url': { pattern: net.PROXY_URL, check: net.checkProxyUrl },
  'host-port': { pattern: net.HOST_PORT, check: net.checkHostPort },
  registry: { pattern: net.REGISTRY, check: net.checkRegistry },
  'no-proxy': { pattern: net.NO_PROXY, check: net.checkNoProxy },
  'ip-address': { check: net.checkIpAddress },
  'port-mapping': { pattern: PORT_MAPPING, check: checkPortMapping },
  'stack-name': { pattern: text.STACK_NAME, check: text.checkStackName },
  'env-name': { pattern: text.ENV_NAME, check: text.checkEnvName },
  'docker-image': { pattern: text.DOCKER_IMAGE, check: text.checkDockerImage },
  'shm-size': { pattern: SIZE, check: checkSize },
  'file-path': { pattern: text.FILE_PATH, check: text.checkFilePath },
  'single-line': { pattern: text.SINGLE_LINE, check: text.checkSingleLine },
  'extends-ref': { check: text.checkExtendsRef },
  'remote-workspace': { pattern: text.REMOTE_WORKSPACE, check: text.checkRemoteWorkspace },
  'docker-host': { pattern: engine.DOCKER_HOST, check: engine.checkDockerHost },
  'docker-context': { pattern: engine.DOCKER_CONTEXT, check: engine.checkDockerContext },
} satisfies Record<string, Format>

export type FormatName = keyof typeof FORMATS
