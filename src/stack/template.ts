// The envctl.toml that `envctl init` writes: the chosen base, then every section as a commented example
// so the file documents itself. Kept in step with schema.ts by a test that uncomments and validates it.

export interface TemplateInput {
  /** Built-in name or relative path the new file extends. */
  extends: string
  name?: string
}

const EXAMPLES = `
# Everything below is optional and commented out: uncomment what you need. Lists add to the
# stack you extend (a package named again replaces its pin); other values replace it.
# Every key: docs/STACK-FILE.md.

# description = "What this environment is for"
# workspace = "remote:/srv/me/project"   # on a remote engine: /workspace is this folder on its host;
#                                        # without it the project is uploaded into a volume there

# [python]
# version = "3.11"                 # exact, or a range: ">=3.10,<3.13", "~3.11"

# [frameworks]
# pytorch = "~2.3"                 # also: tensorflow, mxnet

# [packages]
# pip = ["numpy>=1.26", "opencv-python-headless"]
# apt = ["ffmpeg"]
# npm = ["express@^4.18"]
# maven = ["org.slf4j:slf4j-api:2.0.13"]

# [node]
# version = "20"

# [java]
# version = "17"
# build = "maven"                  # maven | gradle

# [gpu]
# mode = "auto"                    # auto | required | none
# cuda = "12.1"                    # force a CUDA major.minor

# [notebook]
# enabled = true
# port = 8888

# [env]
# HF_HOME = "/cache/huggingface"

# [mirrors]
# pip = "https://mirror.example/simple"
# pip_extra = ["https://mirror.example/extra/simple"]
# pip_trusted_hosts = ["mirror.example"]
# pip_find_links = ["https://mirror.example/wheels/"]
# pytorch = "https://mirror.example/pytorch/whl"
# apt = "https://mirror.example/debian"
# npm = "https://mirror.example/npm/"
# maven = "https://mirror.example/maven2"
# registry = "mirror.example:5000"

# [network]
# http_proxy = "http://proxy.example:3128"
# https_proxy = "http://proxy.example:3128"
# no_proxy = "localhost,127.0.0.1,.internal"
# ca_bundle = "certs/ca.pem"       # relative to this file
# ca_in_image = false
# build_network = "default"        # default | host

# [run]
# shm_size = "8g"
# ports = ["8000", "8080:80"]
# bind = "127.0.0.1"
# ulimits = { memlock = -1, stack = 67108864 }
# command = ["bash"]

# [base]
# image = "python:3.11-slim-bookworm"   # advanced: replace the base image envctl picks

# [services.db]                         # a service beside the environment, reachable as host "db"
# image = "postgres:16"                 # catalog images bring their data volume and health check
# ports = ["5432"]                      # optional: also publish it on 127.0.0.1

# [engine]                              # where to build and run, unless --docker-host, DOCKER_HOST or DOCKER_CONTEXT says
# host = "ssh://me@gpu-box"             # or: context = "gpu" (a Docker context); docs/REMOTE.md
`

export function renderInitTemplate(input: TemplateInput): string {
  const name = input.name === undefined ? '# name = "my-env"                # default: this folder\'s name' : `name = ${JSON.stringify(input.name)}`
  return `# envctl stack file. Build and enter it with: envctl up\nextends = ${JSON.stringify(input.extends)}\n${name}\n${EXAMPLES}`
}
