#!/bin/bash
# The official mysql and mariadb images' first-start contract, as far as envctl's catalog uses it: an empty
# datadir is initialised with a root password for local and remote root (MARIADB_ROOT_PASSWORD or
# MYSQL_ROOT_PASSWORD; *_ALLOW_EMPTY_* for none), the database and the user asked for, and a local healthcheck
# user that healthcheck.sh reads from /var/lib/mysql/.my-healthcheck.cnf.
set -euo pipefail

DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock

if [[ ${1:0:1} == - ]]; then set -- mariadbd "$@"; fi
if [[ $1 == mysqld ]]; then set -- mariadbd "${@:2}"; fi

if [[ $1 == mariadbd && $(id -u) == 0 ]]; then
  mkdir -p "$DATADIR" /run/mysqld
  chown -R mysql:mysql "$DATADIR" /run/mysqld
  exec setpriv --reuid=mysql --regid=mysql --init-groups "$0" "$@"
fi

# setting NAME: MARIADB_NAME, else MYSQL_NAME (the mariadb image reads both).
setting() { local m="MARIADB_$1" y="MYSQL_$1"; printf '%s' "${!m:-${!y:-}}"; }
quote() { local s=${1//\\/\\\\}; printf "'%s'" "${s//\'/\\\'}"; }

init_database() {
  local root_pw db user pw hc_pw sql pid
  root_pw=$(setting ROOT_PASSWORD)
  db=$(setting DATABASE)
  user=$(setting USER)
  pw=$(setting PASSWORD)
  if [[ -z $root_pw && -z $(setting ALLOW_EMPTY_ROOT_PASSWORD)$(setting ALLOW_EMPTY_PASSWORD) ]]; then
    echo 'error: database is uninitialized and password option is not specified' >&2
    echo '  You need to specify one of MARIADB_ROOT_PASSWORD / MYSQL_ROOT_PASSWORD or *_ALLOW_EMPTY_*' >&2
    exit 1
  fi
  mariadb-install-db --datadir="$DATADIR" --auth-root-authentication-method=normal --skip-test-db \
    --skip-name-resolve >/dev/null
  mariadbd --skip-networking --socket="$SOCKET" &
  pid=$!
  for _ in $(seq 300); do mariadb-admin --socket="$SOCKET" ping >/dev/null 2>&1 && break; sleep 0.1; done
  hc_pw=$(head -c 18 /dev/urandom | base64)
  sql="DELETE FROM mysql.global_priv WHERE User = '';"
  sql+="ALTER USER 'root'@'localhost' IDENTIFIED BY $(quote "$root_pw");"
  sql+="CREATE USER 'root'@'%' IDENTIFIED BY $(quote "$root_pw"); GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
  sql+="CREATE USER 'healthcheck'@'localhost' IDENTIFIED BY $(quote "$hc_pw"); GRANT USAGE ON *.* TO 'healthcheck'@'localhost';"
  [[ -z $db ]] || sql+="CREATE DATABASE IF NOT EXISTS \`${db//\`/\`\`}\`;"
  if [[ -n $user ]]; then
    sql+="CREATE USER $(quote "$user")@'%' IDENTIFIED BY $(quote "$pw");"
    [[ -z $db ]] || sql+="GRANT ALL ON \`${db//\`/\`\`}\`.* TO $(quote "$user")@'%';"
  fi
  mariadb --socket="$SOCKET" -uroot <<<"$sql"
  printf '[mariadb-client]\nuser=healthcheck\npassword=%s\nsocket=%s\n' "$hc_pw" "$SOCKET" >"$DATADIR/.my-healthcheck.cnf"
  chmod 600 "$DATADIR/.my-healthcheck.cnf"
  kill "$pid"
  wait "$pid" || true
  echo 'MariaDB init process done. Ready for start up.'
}

if [[ $1 == mariadbd ]]; then
  [[ -d $DATADIR/mysql ]] || init_database
fi
exec "$@"
