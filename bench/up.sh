#!/usr/bin/env bash
# Measures envctl's engine path against the raw engine, in one run on one image, with hyperfine:
#   1. warm `envctl up` (image cached, no container)   vs  `docker run -d` with the same mounts and flags
#   2. no-op `envctl up` (already running)
#   3. `envctl ls`                                      vs  a node:http listing of the same containers (bench/floor-ls.mjs)
#   4. `envctl exec -- true`                            vs  `docker exec -u UID:GID -w /workspace CONTAINER true`
#   5. `envctl --version`                               vs  `node -e 0`
# Writes the tables and the exact commands to docs/BENCHMARKS.md (section "Engine path").
# Needs: a running engine (bash .ci/setup.sh), hyperfine, `npm run build`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RUNS=${RUNS:-10}
WS=$(mktemp -d /tmp/envctl-bench-XXXX)
ENVCTL="node $ROOT/bin/run.js"
DOCKER=/usr/bin/docker
OUT=$(mktemp -d)
trap 'cd "$WS" && $ENVCTL down >/dev/null 2>&1 || true; $DOCKER rm -f envctl-bench-raw >/dev/null 2>&1 || true; rm -rf "$WS" "$OUT"' EXIT

cat >"$WS/envctl.toml" <<'TOML'
extends = "node"
name = "bench"
[node]
version = "20"
TOML
cd "$WS"
$ENVCTL up >/dev/null 2>&1   # build once: every measured run below finds the image cached
IMAGE=$($ENVCTL ls --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].image))')
UIDGID="$(id -u):$(id -g)"
RAW="$DOCKER run -d --name envctl-bench-raw --init --user $UIDGID --workdir /workspace --shm-size 2g \
  --mount type=bind,source=$WS,target=/workspace --mount type=volume,source=envctl-cache-npm,target=/cache/npm \
  -e HOME=/home/envctl -e USER=envctl --label dev.envctl.bench=1 $IMAGE"

hyperfine -N --warmup 2 --runs "$RUNS" --export-markdown "$OUT/warm.md" --export-json "$OUT/warm.json" \
  --prepare "$ENVCTL down" -n 'envctl up (warm: image cached, no container)' "$ENVCTL up" \
  --prepare "$DOCKER rm -f envctl-bench-raw" -n 'docker run -d (same image, mounts, flags)' "$RAW" >/dev/null
$ENVCTL up >/dev/null 2>&1
hyperfine -N --warmup 2 --runs "$RUNS" --export-markdown "$OUT/noop.md" --export-json "$OUT/noop.json" -n 'envctl up (no-op: already running)' "$ENVCTL up" >/dev/null
CONTAINER=$($ENVCTL ls --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].container))')
hyperfine -N --warmup 2 --runs "$RUNS" --export-markdown "$OUT/ls.md" --export-json "$OUT/ls.json" -n 'envctl ls' "$ENVCTL ls" -n 'node:http listing (floor)' "node $ROOT/bench/floor-ls.mjs" >/dev/null
hyperfine -N --warmup 2 --runs "$RUNS" --export-markdown "$OUT/exec.md" --export-json "$OUT/exec.json" -n 'envctl exec -- true' "$ENVCTL exec -- true" \
  -n 'docker exec (same user, folder)' "$DOCKER exec -u $UIDGID -w /workspace $CONTAINER true" >/dev/null
hyperfine -N --warmup 3 --runs "$RUNS" --export-markdown "$OUT/version.md" --export-json "$OUT/version.json" -n 'envctl --version' "$ENVCTL --version" -n 'node -e 0' 'node -e 0' >/dev/null

# The CPU each command spent (user + system), which moves much less than wall time on a shared machine.
cpu() { node -e 'for (const r of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results) console.log(`- CPU of \`${r.command}\`: ${((r.user + r.system) * 1000).toFixed(0)} ms (user ${(r.user * 1000).toFixed(0)}, system ${(r.system * 1000).toFixed(0)})`)' "$1"; }

{
  echo "## Engine path"
  echo
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg), $(free -g | awk '/Mem:/{print $2}') GiB, $($DOCKER version -f 'Docker {{.Server.Version}}' 2>/dev/null), node $(node --version); $RUNS runs each."
  echo "Command: \`bash bench/up.sh\` (hyperfine -N; prepare steps remove the container before each run)."
  echo
  echo "Warm \`up\` against the raw engine call (\`$RAW\`):"
  echo; cat "$OUT/warm.md"; echo; cpu "$OUT/warm.json"; echo
  echo "No-op \`up\` (target: 0.25 s):"
  echo; cat "$OUT/noop.md"; echo; cpu "$OUT/noop.json"; echo
  echo "\`envctl ls\` (target: 0.25 s) against its floor, node listing the same containers over the socket with node:http:"
  echo; cat "$OUT/ls.md"; echo; cpu "$OUT/ls.json"; echo
  echo "\`envctl exec -- true\` (target: 1.3× \`docker exec\`):"
  echo; cat "$OUT/exec.md"; echo; cpu "$OUT/exec.json"; echo
  echo "Start-up cost of the CLI:"
  echo; cat "$OUT/version.md"; echo; cpu "$OUT/version.json"; echo
} >"$OUT/section.md"

node "$ROOT/bench/write-section.mjs" "$ROOT/docs/BENCHMARKS.md" "Engine path" "$OUT/section.md"
cat "$OUT/section.md"
