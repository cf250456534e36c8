#!/usr/bin/env bash
# envctl against real GPU hardware, on a machine with an NVIDIA GPU, its driver and Python with a CUDA build of
# torch, but neither Docker nor Node (a lent device machine): runs envctl doctor and resolve there and checks
# data/matrix against what torch reports (bench/gpu-check.mjs). Prepare here with `bash bench/gpu-pack.sh`, which
# fills .device/ (git-ignored); then, there, from the repository root with .device/ beside it:
#   bash bench/gpu-check.sh            # report to stdout, and to $OUT/gpu-check.txt when OUT is set
# Knobs: PYTHON (the Python whose torch is checked; default python3). Exits 1 when a check fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DEVICE=${DEVICE_DIR:-.device}
[ -f "$DEVICE/envctl/bundle/envctl.mjs" ] || { echo "gpu-check: no $DEVICE/envctl: run bash bench/gpu-pack.sh first (and carry $DEVICE)" >&2; exit 2; }

# A node of our own: the packed one (xz, or Python's lzma where xz is missing), unless one ≥ 20 is installed.
NODE=$(command -v node || true)
if [ -z "$NODE" ] || ! "$NODE" -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)'; then
  UNPACKED=$(mktemp -d)
  trap 'rm -rf "$UNPACKED"' EXIT
  NODE=$UNPACKED/node
  if command -v xz >/dev/null; then xz -dc "$DEVICE/node.xz" >"$NODE"
  else python3 -c 'import lzma, shutil, sys; shutil.copyfileobj(lzma.open(sys.argv[1]), open(sys.argv[2], "wb"))' "$DEVICE/node.xz" "$NODE"
  fi
  chmod +x "$NODE"
fi

export ENVCTL_BIN="$NODE $PWD/$DEVICE/envctl/bundle/envctl.mjs"
REPORT=${OUT:+$OUT/gpu-check.txt}
if [ -n "$REPORT" ]; then
  "$NODE" bench/gpu-check.mjs | tee "$REPORT"
  exit "${PIPESTATUS[0]}"
fi
"$NODE" bench/gpu-check.mjs
