#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the test suite.
#   scripts/pg-cluster.sh start DIR   -> prints the DATABASE_URL to use
#   scripts/pg-cluster.sh stop DIR    -> stops the cluster and removes DIR
# PG_OPTIONS adds server options (run-tests.sh turns autovacuum off).
# initdb refuses to run as root, so as root the cluster belongs to the postgres user.
set -euo pipefail

command_name=${1:?start or stop}
dir=${2:?directory}

pg_bin=$(dirname "$(readlink -f "$(command -v pg_ctl || ls /usr/lib/postgresql/*/bin/pg_ctl | tail -n 1)")")
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
  as_owner=(runuser -u postgres --)
fi

case "$command_name" in
  start)
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "${as_owner[@]}" "$pg_bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log"
    # Durability is pointless for a cluster that lives for one test run; speed is not.
    "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 ${PG_OPTIONS:-}" \
      start >/dev/null
    echo "postgres://postgres@127.0.0.1:$port/portal"
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
