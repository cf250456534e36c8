#!/bin/bash
# The part of the mariadb image's healthcheck.sh that envctl's catalog uses: --connect (a client can log in over
# the socket) and --innodb_initialized (InnoDB is up). Logs in as the healthcheck user the entrypoint made.
set -eu
CNF=/var/lib/mysql/.my-healthcheck.cnf
for test in "$@"; do
  case $test in
    --connect) mariadb --defaults-extra-file="$CNF" -e 'SELECT 1' >/dev/null ;;
    --innodb_initialized)
      [[ $(mariadb --defaults-extra-file="$CNF" -Nse "SELECT 1 FROM information_schema.ENGINES WHERE engine = 'innodb' AND support IN ('YES', 'DEFAULT', 'ENABLED')") == 1 ]] ;;
    *) echo "healthcheck.sh (envctl CI stand-in): unsupported test $test" >&2; exit 2 ;;
  esac
done
