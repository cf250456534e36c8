#!/bin/bash
# As the official redis image: redis-server without a config file listens everywhere with protected mode off
# (the container's network is the boundary), and runs as user redis in /data.
set -euo pipefail
if [[ ${1:0:1} == - || $1 == *.conf ]]; then set -- redis-server "$@"; fi
if [[ $1 == redis-server && $(id -u) == 0 ]]; then
  chown -R redis:redis /data
  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"
fi
if [[ $1 == redis-server && ${2:-} != *.conf ]]; then
  set -- redis-server --bind '* -::*' --protected-mode no --dir /data "${@:2}"
fi
exec "$@"
