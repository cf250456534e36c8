#!/usr/bin/env bash
# envctl through ssh:// against the docker CLI through ssh://, on the same test host and image, with hyperfine:
#   1. warm `envctl up` (image cached, no container)  vs  `docker -H ssh://… run -d` of the same image, folder, user
#   2. `envctl exec -- true`                            vs  `docker -H ssh://… exec`
#   3. `envctl ls`                                      vs  `docker -H ssh://… ps`
# and how many SSH connections each opens (sshd's log). The host is the integration tests' side engine with sshd
# in its own network namespace (bench/ssh-host.ts), so this needs root, dockerd, sshd, hyperfine, `npm run build`.
# Writes docs/BENCHMARKS.md, section "Remote engine over SSH".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RUNS=${RUNS:-10}
IMAGE_BASE=node:20-bookworm-slim
OUT=$(mktemp -d)
BHOME=$(mktemp -d /tmp/envctl-bench-home-XXXX)
WS=$(mktemp -d /tmp/envctl-bench-ssh-XXXX)
npx esbuild bench/ssh-host.ts --bundle --platform=node --format=esm --packages=external --alias:vitest=./bench/no-vitest.ts \
  --outfile=bench/.ssh-host.mjs --log-level=warning
node bench/.ssh-host.mjs >"$OUT/host.json" 2>"$OUT/host.err" &
HOST_PID=$!
cleanup() {
  (cd "$WS" && HOME=$BHOME DOCKER_HOST=${URL:-} node "$ROOT/bin/run.js" down >/dev/null 2>&1) || true
  kill "$HOST_PID" 2>/dev/null || true
  wait "$HOST_PID" 2>/dev/null || true
  rm -rf "$OUT" "$BHOME" "$WS"
}
trap cleanup EXIT
for _ in $(seq 120); do [[ -s $OUT/host.json ]] && break; sleep 0.5; done
[[ -s $OUT/host.json ]] || { cat "$OUT/host.err"; exit 1; }
field() { node -e "console.log(JSON.parse(require('fs').readFileSync('$OUT/host.json','utf8')).$1)"; }
URL=$(field url); DIR=$(field dir); SOCK=$(field socket); SSHD_LOG=$DIR/ssh/sshd.log
mkdir -m 700 "$BHOME/.ssh"
install -m 600 "$(field key)" "$BHOME/.ssh/id_ed25519"
field known >"$BHOME/.ssh/known_hosts"
docker -H unix:///var/run/docker.sock save "$IMAGE_BASE" | docker -H "unix://$SOCK" load -q >/dev/null
# OpenSSH reads ~/.ssh from the passwd entry, not $HOME: the docker CLI's ssh gets these files through a wrapper.
mkdir "$BHOME/bin"
printf 'UserKnownHostsFile %s\nIdentityFile %s\nIdentitiesOnly yes\n' "$BHOME/.ssh/known_hosts" "$BHOME/.ssh/id_ed25519" >"$BHOME/.ssh/config"
printf '#!/bin/sh\nexec /usr/bin/ssh -F %s "$@"\n' "$BHOME/.ssh/config" >"$BHOME/bin/ssh" && chmod +x "$BHOME/bin/ssh"
export HOME=$BHOME DOCKER_HOST=$URL PATH=$BHOME/bin:$PATH
unset SSH_AUTH_SOCK
REMOTE_DIR=$DIR/srv/project
mkdir -p "$REMOTE_DIR" && chmod 755 "$DIR" && chown 1500:1500 "$REMOTE_DIR"
ENVCTL="node $ROOT/bin/run.js"
printf 'name = "bench-ssh"\nworkspace = "remote:%s"\n[node]\nversion = "20"\n' "$REMOTE_DIR" >"$WS/envctl.toml"
cd "$WS"
$ENVCTL up >/dev/null   # build once on the remote engine: every measured run finds the image cached
IMAGE=$($ENVCTL ls --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].image))')
UIDGID="$(id -u):$(id -g)"
RAW="docker run -d --name envctl-bench-ssh-raw --init --user $UIDGID --workdir /workspace --shm-size 2g \
  --mount type=bind,source=$REMOTE_DIR,target=/workspace -e HOME=/home/envctl -e USER=envctl $IMAGE sleep infinity"

connections() { grep -c 'Accepted publickey for ' "$SSHD_LOG" || true; }
count() { local before; before=$(connections); "$@" >/dev/null 2>&1; echo $(( $(connections) - before )); }

hyperfine -N --warmup 2 --runs "$RUNS" --export-markdown "$OUT/warm.md" \
  --prepare "$ENVCTL down" -n 'envctl up through ssh:// (warm: image cached, no container)' "$ENVCTL up" \
  --prepare "docker rm -f envctl-bench-ssh-raw" -n 'docker -H ssh://… run -d (same image, folder, user)' "$RAW" >/dev/null
$ENVCTL down >/dev/null; docker rm -f envctl-bench-ssh-raw >/dev/null 2>&1 || true
C_UP=$(count $ENVCTL up); C_RAW=$(count $RAW)
CONTAINER=$($ENVCTL ls --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s)[0].container))')
hyperfine -N --warmup 2 --runs "$RUNS" --export-markdown "$OUT/exec.md" -n 'envctl exec -- true' "$ENVCTL exec -- true" \
  -n 'docker -H ssh://… exec (same user, folder)' "docker exec -u $UIDGID -w /workspace $CONTAINER true" >/dev/null
hyperfine -N --warmup 2 --runs "$RUNS" --export-markdown "$OUT/ls.md" -n 'envctl ls' "$ENVCTL ls" -n 'docker -H ssh://… ps' "docker ps" \
  -n 'envctl ls on the local engine (the CLI without SSH)' "env DOCKER_HOST=unix:///var/run/docker.sock $ENVCTL ls" >/dev/null
C_EXEC=$(count $ENVCTL exec -- true); C_DEXEC=$(count docker exec -u "$UIDGID" -w /workspace "$CONTAINER" true)
C_LS=$(count $ENVCTL ls); C_PS=$(count docker ps)

{
  echo "## Remote engine over SSH"
  echo
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores, load average $(cut -d" " -f1-3 /proc/loadavg), node $(node --version), $(ssh -V 2>&1); $RUNS runs each."
  echo "Command: \`sudo bash bench/ssh.sh\`. The engine is the tests' side engine with Debian's sshd in its own network"
  echo "namespace (a veth pair: no real network latency, so this measures SSH and process costs, not distance)."
  echo "The docker CLI runs \`ssh … docker system dial-stdio\` for each connection it makes; envctl holds one ssh2 connection."
  echo
  echo "Warm \`up\` against the raw call (\`$RAW\`, with DOCKER_HOST=ssh://…):"
  echo; cat "$OUT/warm.md"; echo
  echo "\`exec\` and \`ls\` (the third \`ls\` row is the same CLI on the local engine: node's start-up, no SSH):"
  echo; cat "$OUT/exec.md"; echo; cat "$OUT/ls.md"; echo
  echo "SSH connections per command (accepted by sshd):"
  echo
  echo "| command | envctl | docker CLI |"
  echo "|:---|---:|---:|"
  echo "| up / run -d | $C_UP | $C_RAW |"
  echo "| exec | $C_EXEC | $C_DEXEC |"
  echo "| ls / ps | $C_LS | $C_PS |"
} >"$OUT/section.md"

node "$ROOT/bench/write-section.mjs" "$ROOT/docs/BENCHMARKS.md" "Remote engine over SSH" "$OUT/section.md"
cat "$OUT/section.md"
