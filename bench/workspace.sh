#!/usr/bin/env bash
# `envctl up` (warm: image cached, container removed before each run) with a big workspace against an empty one:
# 50,000 files of 40 KiB (~2 GB, allocated with fallocate) in 500 folders, made under $TMPDIR and deleted after.
# hyperfine runs the two interleaved in one run; prints the table. Needs a running engine and `npm run build`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
RUNS=${RUNS:-8}
BASE=$(mktemp -d "${TMPDIR:-/tmp}/envctl-ws-bench-XXXX")
ENVCTL="node $ROOT/bin/run.js"
trap 'for w in big empty; do (cd "$BASE/$w" && $ENVCTL down >/dev/null 2>&1) || true; docker images -q "envctl/wsbench-$w" | xargs -r docker rmi >/dev/null 2>&1 || true; done; rm -rf "$BASE"' EXIT
for w in big empty; do
  mkdir -p "$BASE/$w"
  printf 'extends = "node"\nname = "wsbench-%s"\n[node]\nversion = "20"\n' "$w" >"$BASE/$w/envctl.toml"
done
python3 - "$BASE/big" <<'PY'
import os, sys
for d in range(500):
    os.mkdir(f"{sys.argv[1]}/d{d}")
    for f in range(100):
        fd = os.open(f"{sys.argv[1]}/d{d}/f{f}.bin", os.O_CREAT | os.O_WRONLY, 0o644)
        os.posix_fallocate(fd, 0, 40 * 1024)
        os.close(fd)
PY
echo "big workspace: $(find "$BASE/big" -type f | wc -l) files, $(du -sh "$BASE/big" | cut -f1)"
(cd "$BASE/big" && $ENVCTL up >/dev/null 2>&1) && (cd "$BASE/empty" && $ENVCTL up >/dev/null 2>&1)   # build once
hyperfine -N --warmup 1 --runs "$RUNS" \
  --prepare "sh -c 'cd $BASE/big && $ENVCTL down'" -n 'envctl up, 2 GB / 50,000-file workspace' "sh -c 'cd $BASE/big && exec $ENVCTL up'" \
  --prepare "sh -c 'cd $BASE/empty && $ENVCTL down'" -n 'envctl up, empty workspace' "sh -c 'cd $BASE/empty && exec $ENVCTL up'"
