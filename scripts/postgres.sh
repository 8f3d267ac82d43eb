#!/usr/bin/env bash
# A private PostgreSQL cluster for the test suite: a free port, 127.0.0.1 only, its own
# directory, run as the postgres user (the server refuses root).
#   scripts/postgres.sh start DIR   -> prints a DATABASE_URL
#   scripts/postgres.sh stop DIR
set -euo pipefail
action=$1
dir=$2
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bin" ]; then
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >&2
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case "$action" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    # fsync and friends off: these clusters are thrown away, and it makes tests quicker.
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null
    as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -qc "CREATE DATABASE earlyhelp" >/dev/null
    for ext in pg_trgm; do
      as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d template1 -qc "CREATE EXTENSION IF NOT EXISTS $ext" >/dev/null
      as_postgres "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d earlyhelp -qc "CREATE EXTENSION IF NOT EXISTS $ext" >/dev/null
    done
    echo "postgres://postgres@127.0.0.1:$port/earlyhelp"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
