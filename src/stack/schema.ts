import { bool, int, list, map, oneOf, str, stringOrTable, table, type SchemaNode } from './schema-node.js'

// The single source of truth for the shape of a stack file (envctl.toml). validate.ts walks it,
// to-spec.ts maps its keys to StackSpec fields, and schema/envctl.schema.json is generated from it
// for editors (taplo, Even Better TOML). Keys are the TOML spelling (snake_case).

const version = (what: string, examples: string[]): SchemaNode =>
  str(`${what} version or range: exact ("3.11"), comparisons (">=3.10,<3.13"), tilde ("~3.11") or caret ("^20").`, 'version-range', { examples })

const python = table('The Python runtime.', {
  version: version('Python', ['3.11', '>=3.10,<3.13']),
})

const frameworks = table('Machine-learning frameworks, each a version range. envctl picks the matching CUDA, wheels and base image.', {
  pytorch: version('PyTorch', ['~2.3', '>=2.0']),
  tensorflow: version('TensorFlow', ['>=2.14']),
  mxnet: version('Apache MXNet', ['1.9.1']),
})

const packages = table('Extra packages, installed after the runtime and frameworks.', {
  pip: list('pip requirements in PEP 508 form ("numpy>=1.26", "torch==2.3.1", "black[jupyter]").', str('A PEP 508 requirement.', 'pep508-requirement')),
  apt: list('Debian packages, optionally pinned with =version ("ffmpeg", "git=1:2.39.2-1.1").', str('A Debian package name.', 'apt-package')),
  npm: list('npm packages, optionally with @version-range ("express@^4.18", "@types/node").', str('An npm package spec.', 'npm-spec')),
  maven: list('Maven artifacts as group:artifact:version ("org.slf4j:slf4j-api:2.0.13").', str('A Maven coordinate.', 'maven-coordinate')),
})

const node = table('The Node.js runtime.', { version: version('Node.js major', ['20', '24']) })

const java = table('The Java runtime (a JDK).', {
  version: version('Java', ['17', '21']),
  build: oneOf('Build tool installed with the JDK.', ['maven', 'gradle'], 'maven'),
})

const gpu = table('GPU use.', {
  mode: oneOf('auto: use a GPU when the host has one, else CPU wheels; required: fail without a GPU; none: always CPU.', ['auto', 'required', 'none'], 'auto'),
  cuda: str('Force this CUDA major.minor instead of the newest one the driver and frameworks allow.', 'cuda-version', { examples: ['12.1'] }),
})

const notebook = table('A Jupyter notebook server in the environment.', {
  enabled: bool('Install JupyterLab and start it with the environment.', false),
  port: int('Port of the notebook server on the host.', 1, 65535, { default: 8888 }),
})

const env = map(
  'Environment variables set in the image and the running environment.',
  str('Variable name: letters, digits and _, not starting with a digit.', 'env-name'),
  str('Variable value, on one line.', 'single-line'),
)

const mirrors = table('Package mirrors, for networks that cannot reach the public indexes.', {
  pip: str('pip index URL (replaces https://pypi.org/simple).', 'mirror-url'),
  pip_extra: list('Extra pip index URLs, searched after `pip`.', str('An index URL.', 'mirror-url')),
  pip_trusted_hosts: list('Hosts pip trusts without TLS checks (plain-http mirrors).', str('host or host:port.', 'host-port')),
  pip_find_links: list('Pages or folders of wheels (pip --find-links).', str('A URL.', 'mirror-url')),
  pytorch: str('Mirror of https://download.pytorch.org/whl; "<mirror>/cu121" replaces ".../whl/cu121".', 'mirror-url'),
  apt: str('Debian mirror URL replacing deb.debian.org.', 'mirror-url'),
  npm: str('npm registry URL.', 'mirror-url'),
  maven: str('Maven repository URL replacing Maven Central.', 'mirror-url'),
  registry: str('Container registry mirror for base images (host[:port][/path]).', 'registry'),
})

const network = table('Proxies and certificates for the build and the running environment.', {
  http_proxy: str('Proxy for http:// requests.', 'proxy-url'),
  https_proxy: str('Proxy for https:// requests.', 'proxy-url'),
  no_proxy: str('Comma-separated hosts, domains or CIDRs that bypass the proxy.', 'no-proxy'),
  ca_bundle: str('PEM CA bundle on the host (relative to the stack file), trusted during the build.', 'file-path'),
  ca_in_image: bool('Keep the CA bundle in the final image (it is used during the build only by default).', false),
  build_network: oneOf('Network of build steps: host reaches a mirror on 127.0.0.1.', ['default', 'host'], 'default'),
})

const run = table('How the environment container runs.', {
  shm_size: str('Size of /dev/shm (PyTorch data loaders need more than the 64m default).', 'shm-size', { examples: ['8g'] }),
  ports: list('Ports to publish on 127.0.0.1: "PORT" or "HOST:CONTAINER" as in docker run -p, optionally /tcp or /udp.', str('A port or port pair.', 'port-mapping')),
  bind: str('Host address published ports bind to.', 'ip-address', { default: '127.0.0.1' }),
  ulimits: table('Resource limits of the container (-1: unlimited).', {
    memlock: int('Locked-in-memory limit in bytes (RDMA and NCCL want -1).', -1, Number.MAX_SAFE_INTEGER),
    stack: int('Stack size limit in bytes.', -1, Number.MAX_SAFE_INTEGER),
  }),
  command: list('Command the environment runs (exec form). A later file replaces it whole.', str('One argument.', 'single-line')),
})

const service = table('A service beside the environment (a database, cache or search engine), on its own network, reachable by its name.', {
  image: str('A catalog image ("postgres:16", "mysql:8.4", "redis:7") or any image reference; catalog images bring their data path and health check.', 'docker-image', { examples: ['postgres:16', 'redis:7'] }),
  env: map('Environment variables of the service (they add to and replace the catalog defaults).', str('Variable name.', 'env-name'), str('Variable value, on one line.', 'single-line')),
  command: list('Command the service runs (exec form); replaces the image\'s. A later file replaces it whole.', str('One argument.', 'single-line')),
  ports: list('Ports to publish on 127.0.0.1 ("PORT" or "HOST:CONTAINER"); the environment reaches the service by name without them.', str('A port or port pair.', 'port-mapping')),
  data: str('Path of the service\'s data inside its container, kept on a named volume that `down` keeps and `down --volumes` removes; "none" for no volume.', 'single-line', { examples: ['/var/lib/postgresql/data'] }),
  ulimits: table('Resource limits of the service (-1: unlimited); the catalog sets what a service needs (Elasticsearch: memlock).', {
    memlock: int('Locked-in-memory limit in bytes.', -1, Number.MAX_SAFE_INTEGER),
    nofile: int('Open files limit.', -1, Number.MAX_SAFE_INTEGER),
  }),
  memory: str('Memory limit of the service, e.g. "1g" (k, m, g, t: powers of 1024).', 'shm-size', { examples: ['1g'] }),
  depends_on: list('Services that must be healthy before this one starts.', str('A service name.', 'stack-name')),
  healthcheck: table('How envctl knows the service is ready.', {
    command: list('Command run inside the service (exec form); exit code 0 means healthy. [] turns the catalog check off.', str('One argument.', 'single-line')),
    timeout: int('Seconds to wait for the service to become healthy.', 1, 3600, { default: 60 }),
  }),
})

const services = map(
  'Services started before the environment, each a table [services.NAME]; NAME is also its host name on the environment\'s network.',
  str('Service name: lowercase letters, digits and _ . - (starting with a letter or digit).', 'stack-name', { maxLength: 48 }),
  service,
)

const remotePath = str('What /workspace is on a remote engine: "remote:/srv/me/project", a folder on the engine\'s host (a clone there). Without it a remote engine gets the workspace uploaded into a volume. A local engine mounts the project folder itself.', 'remote-workspace', { examples: ['remote:/srv/me/project'] })

const workspace = stringOrTable(
  'The workspace on a remote engine: the string "remote:/srv/me/project" (a folder on the engine\'s host), or a table [workspace] with `path` and `exclude`.',
  remotePath,
  table('The workspace on a remote engine.', {
    path: remotePath,
    exclude: list('Paths left out of the workspace upload and `envctl sync`, as .gitignore patterns relative to the project folder (read after every .gitignore, so they win).', str('A .gitignore pattern.', 'single-line'), { examples: [['data/', '*.ckpt']] }),
  }),
)

const base = table('Advanced: override the base image envctl would choose.', {
  image: str('Base image reference.', 'docker-image', { examples: ['python:3.11-slim-bookworm'] }),
})

const engine = table('The Docker engine to use when neither --docker-host, DOCKER_HOST nor DOCKER_CONTEXT names one (docs/REMOTE.md). One of host or context. Read from the project\'s own file only: a file that is extended may not set it.', {
  host: str('A DOCKER_HOST-style address: unix:///var/run/docker.sock, tcp://host:2376, ssh://[user@]host[:port].', 'docker-host', { examples: ['ssh://me@gpu-box', 'tcp://10.0.0.5:2376'] }),
  context: str('A Docker context (docker context ls), with its endpoint and TLS files.', 'docker-context', { examples: ['gpu'] }),
})

export const STACK_SCHEMA: SchemaNode = table('An envctl stack file (envctl.toml): one reproducible development environment.', {
  extends: str('A built-in stack ("pytorch"), a path relative to this file ("../base.toml"), or a git source ("git+https://host/repo.git#main:stacks/base.toml", pinned in envctl.lock) to start from.', 'extends-ref'),
  name: str('Name of the environment; defaults to the folder of the stack file. Not inherited.', 'stack-name', { maxLength: 63 }),
  description: str('One line about the stack.', 'single-line', { maxLength: 300 }),
  python,
  frameworks,
  packages,
  node,
  java,
  gpu,
  notebook,
  env,
  mirrors,
  network,
  run,
  base,
  workspace,
  services,
  engine,
})
