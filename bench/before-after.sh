#!/usr/bin/env bash
# The CLI's start-up against another build of envctl (BEFORE: the root of another checkout, built), in one
# hyperfine run (before and now of each command one after the other): `ls`, `exec -- true`, no-op `up`, `--help`. Reports wall time and the
# CPU the process spent (user + system), which moves far less than wall time when the machine is shared.
#   BEFORE=/path/to/other/envctl RUNS=10 bash bench/before-after.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RUNS=${RUNS:-10}
: "${BEFORE:?set BEFORE to the root of another built envctl checkout}"
WS=$(mktemp -d /tmp/envctl-ba-XXXX)
OUT=$(mktemp -d)
NOW="node $ROOT/bin/run.js"
OLD="node $BEFORE/bin/run.js"
trap 'cd "$WS" && $NOW down >/dev/null 2>&1 || true; docker images -q envctl/ba-bench | xargs -r docker rmi >/dev/null 2>&1 || true; rm -rf "$WS" "$OUT"' EXIT
printf 'extends = "node"\nname = "ba-bench"\n[node]\nversion = "20"\n' >"$WS/envctl.toml"
cd "$WS"
$NOW up >/dev/null 2>&1
args=()
for cmd in 'ls' 'exec -- true' 'up' '--help'; do
  args+=(-n "before: envctl $cmd" "$OLD $cmd" -n "now: envctl $cmd" "$NOW $cmd")
done
hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$OUT/ba.json" "${args[@]}" >/dev/null
echo "Measured $(date -u +%Y-%m-%dT%H:%MZ), load average $(cut -d' ' -f1-3 /proc/loadavg), $RUNS runs each; before and now of each command measured one after the other."
echo
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).results
  const ms = (s) => (s * 1000).toFixed(0)
  console.log("| Command | wall mean [ms] | wall min [ms] | user [ms] | system [ms] | CPU now / before |")
  console.log("|:---|---:|---:|---:|---:|---:|")
  for (let i = 0; i < r.length; i += 2) for (const x of [r[i], r[i + 1]]) {
    const cpu = (y) => y.user + y.system
    const ratio = x === r[i + 1] ? (cpu(r[i + 1]) / cpu(r[i])).toFixed(2) + "×" : ""
    console.log(`| \`${x.command}\` | ${ms(x.mean)} | ${ms(x.min)} | ${ms(x.user)} | ${ms(x.system)} | ${ratio} |`)
  }
' "$OUT/ba.json"
