import { STACK_SCHEMA } from '../stack/schema.js'
import { list, str, table, type SchemaNode } from '../stack/schema-node.js'

// The user config reuses the stack file's own sub-tables, so a key means the same thing, and is checked the
// same way, in both files. Only [registry] and [trust] are the user config's own ([engine] is read at the edge, from both files): credentials never belong
// in a project, and a project cannot confirm its own exposure.
const stack = STACK_SCHEMA.properties!

export const REGISTRY_AUTH_DOCKER = 'docker-config'
export const REGISTRY_AUTH_NONE = 'none'

export const USER_CONFIG_SCHEMA: SchemaNode = table('envctl user config ($XDG_CONFIG_HOME/envctl/config.toml): personal settings, never committed.', {
  mirrors: stack.mirrors,
  network: stack.network,
  gpu: table('Default GPU use, for stacks that do not set it.', { mode: stack.gpu.properties!.mode }),
  registry: table('Credentials for pulling base images.', {
    auth: str(
      `"${REGISTRY_AUTH_DOCKER}": the credentials \`docker login\` stored ($DOCKER_CONFIG or ~/.docker); "${REGISTRY_AUTH_NONE}": pull anonymously; or a path to another Docker config folder (relative to this file).`,
      'file-path',
      { default: REGISTRY_AUTH_DOCKER, examples: [REGISTRY_AUTH_DOCKER, REGISTRY_AUTH_NONE, '~/.docker-work'] },
    ),
  }),
  engine: stack.engine,
  trust: table('Stack sources you allow to widen exposure (run.bind beyond 127.0.0.1, network.build_network = "host").', {
    exposure: list(
      'Git sources (git+URL, a prefix of what extends names) or folders (absolute) whose stack files may widen exposure without --allow-exposure.',
      str('A git source prefix or an absolute folder.', undefined, { examples: ['git+https://github.com/acme/envctl-stacks', '/srv/shared/stacks'] }),
    ),
  }),
})

/** The user config keys that are stack keys too, and merge into the stack below every stack file. */
export const STACK_KEYS_IN_USER_CONFIG = ['mirrors', 'network', 'gpu'] as const
