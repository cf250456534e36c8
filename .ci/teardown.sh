#!/usr/bin/env bash
# Stops what .ci/setup.sh started (pip mirror, registry, dockerd), by the pid files it wrote; a daemon that
# setup found already running has no pid file and is left alone. Images, registry data and caches stay in
# the work dir, so the next setup is fast; delete ENVCTL_CI_DIR by hand to start from scratch.
set -euo pipefail
W=${ENVCTL_CI_DIR:-/var/lib/envctl-ci}

# stop NAME EXPECTED-COMMAND: only if the pid still belongs to that program (pids get reused).
stop() {
  local pidfile="$W/pids/$1.pid" pid
  [[ -f $pidfile ]] || return 0
  pid=$(<"$pidfile")
  if [[ $(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) == *"$2"* ]]; then
    kill -TERM "$pid"
    for _ in $(seq 1 300); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -0 "$pid" 2>/dev/null && echo "teardown: $1 (pid $pid) still running after 30 s" >&2 && return 1
    echo "teardown: stopped $1 (pid $pid)" >&2
  fi
  rm -f "$pidfile"
}

stop pip-mirror pip-mirror.py
stop registry docker-registry
stop dockerd dockerd
