#!/usr/bin/env bash
# From a fresh clone to a running PyTorch dev container:
#   1. a Docker engine, a local registry mirror and a local Python package mirror (.ci/setup.sh, needs root;
#      skipped when not root and an engine already answers),
#   2. envctl's dependencies and build,
#   3. `envctl up` of examples/pytorch-cpu, then `import torch` inside it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [ "$(id -u)" = 0 ]; then
  bash .ci/setup.sh
elif ! curl -fsS --unix-socket /var/run/docker.sock http://d/_ping >/dev/null 2>&1; then
  echo "No Docker engine answers and this is not root: run 'sudo bash .ci/setup.sh' first." >&2
  exit 1
fi
npm ci --no-audit --no-fund
npm run build

cd examples/pytorch-cpu
node ../../bin/run.js up
node ../../bin/run.js exec -- python -c 'import torch; print("torch", torch.__version__, "in", __import__("os").getcwd())'
echo
echo "Next: cd examples/pytorch-cpu && node ../../bin/run.js shell   (or: up --notebook, ls, down)"
