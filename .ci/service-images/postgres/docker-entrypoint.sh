#!/bin/bash
# The official postgres image's first-start contract, as far as envctl's catalog uses it: an empty PGDATA is
# initialised with POSTGRES_USER (postgres) / POSTGRES_PASSWORD, POSTGRES_DB is created, other hosts authenticate
# with POSTGRES_HOST_AUTH_METHOD (scram-sha-256), and the server listens on all addresses.
set -euo pipefail

if [[ ${1:0:1} == - ]]; then set -- postgres "$@"; fi

if [[ $1 == postgres && $(id -u) == 0 ]]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

init_database() {
  local user=${POSTGRES_USER:-postgres} auth=${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256} db pwfile
  db=${POSTGRES_DB:-$user}
  if [[ -z ${POSTGRES_PASSWORD:-} && $auth != trust ]]; then
    echo 'Error: Database is uninitialized and superuser password is not specified.' >&2
    echo '       Set POSTGRES_PASSWORD, or POSTGRES_HOST_AUTH_METHOD=trust to allow all connections without one.' >&2
    exit 1
  fi
  pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
  initdb --username="$user" ${POSTGRES_PASSWORD:+--pwfile="$pwfile"} --auth-local=trust --auth-host="$auth" \
    --locale=C.UTF-8 -D "$PGDATA" >/dev/null
  rm -f "$pwfile"
  printf 'host all all all %s\n' "$auth" >>"$PGDATA/pg_hba.conf"
  printf "listen_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
  pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
  if [[ $db != postgres ]]; then
    psql -v ON_ERROR_STOP=1 --username "$user" --dbname postgres -q --set db="$db" <<<'CREATE DATABASE :"db";'
  fi
  pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
  echo 'PostgreSQL init process complete; ready for start up.'
}

if [[ $1 == postgres ]]; then
  [[ -s $PGDATA/PG_VERSION ]] || init_database
fi
exec "$@"
