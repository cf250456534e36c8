#!/usr/bin/env bash
# One-pin rebuild against a cold build, pytorch CPU stack (test/fixtures/stacks/pytorch-cpu: torch 2.13.0+cpu and
# numpy from the machine's local pip mirror), alternating, once per pin in PINS:
#   cold:     envctl build --no-cache        (every layer built again; pip's BuildKit cache mount stays warm,
#                                             as it does on any machine that has built once)
#   one pin:  numpy==A → numpy==B, envctl build (the framework layer reused; the user layer, the lock rebuilt)
# BuildKit keeps every layer it built: a pin built before on this machine (by an earlier run of this script too)
# is a cache hit, not a rebuild, so each pin is used once per run and a second run should be given other PINS.
# Prints one line per build and the ratio of medians; removes the images it tagged. Needs the local pip mirror
# (bash .ci/setup.sh), `npm run build`. The engine is shared: run it when the machine is quiet, or several times.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
PINS=${PINS:-2.1.3 1.26.4}
WS=$(mktemp -d /tmp/envctl-rebuild-XXXX)
ENVCTL="node $ROOT/bin/run.js"
trap 'docker images -q --filter "reference=envctl/$(basename "$WS" | tr "[:upper:]" "[:lower:]"):*" | xargs -r docker rmi -f >/dev/null 2>&1 || true; rm -rf "$WS"' EXIT
cp "$ROOT/test/fixtures/stacks/pytorch-cpu/envctl.toml" "$WS/"
cd "$WS"
secs() { local t0=$(date +%s.%N); "$@" >/dev/null 2>"$WS/.err" || { cat "$WS/.err" >&2; exit 1; }; echo "$(date +%s.%N) - $t0" | bc; }
pin() { sed -i -E "s/numpy==[0-9.]+/numpy==$1/" envctl.toml; }
$ENVCTL build >/dev/null 2>&1   # the first build also fills pip's cache mount and the lock
cold=() pinned=()
for v in $PINS; do
  c=$(secs $ENVCTL build --no-cache); cold+=("$c"); echo "cold (--no-cache)       ${c}s"
  pin "$v"; p=$(secs $ENVCTL build); pinned+=("$p"); echo "one pin (numpy $v)   ${p}s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mc=$(median "${cold[@]}") mp=$(median "${pinned[@]}")
echo "median cold ${mc}s, median one pin ${mp}s, ratio $(echo "scale=3; $mp / $mc" | bc)"
