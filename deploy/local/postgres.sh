#!/usr/bin/env bash
# A private, throwaway PostgreSQL cluster for development and tests.
#   deploy/local/postgres.sh start|stop|status|url
# Settings (environment):
#   PROVISIONER_PG_DIR   where the cluster lives (default: <repo>/.local/pg, git-ignored)
#   PROVISIONER_PG_PORT  its TCP port on 127.0.0.1 (default 55432)
# Idempotent: start on a running cluster and stop on a stopped one do nothing.
# PostgreSQL refuses to run as root, so the server runs as the `postgres` user; the data folder is
# kept inside the repo but owned by that user.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
dir=${PROVISIONER_PG_DIR:-$repo/.local/pg}
port=${PROVISIONER_PG_PORT:-55432}

find_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/pg_ctl" ] && { echo "$d"; return 0; }
  done
  return 1
}

ensure_binaries() {
  if ! bin=$(find_bin); then
    echo "postgres.sh: PostgreSQL binaries missing; installing the Debian package" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq postgresql >/dev/null
    bin=$(find_bin)
  fi
}

as_postgres() {
  # from /, which the postgres user can always enter, whatever folder this script was started in
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}

is_running() {
  [ -f "$dir/data/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1
}

# The server runs as `postgres`, which must reach the data folder through every parent. A checkout under a
# private folder (a mktemp -d clone, a home directory) is not reachable: then the cluster lives under /var/tmp,
# at a path derived from the requested one so that start, stop and status agree.
reachable_by_postgres() {
  [ "$(id -u)" != 0 ] && return 0
  local probe=$1
  while [ ! -e "$probe" ]; do probe=$(dirname "$probe"); done
  runuser -u postgres -- test -x "$probe" 2>/dev/null
}
if ! reachable_by_postgres "$dir"; then
  dir=/var/tmp/provisioner-pg-$(printf '%s' "$dir" | md5sum | cut -c1-12)
fi

cmd=${1:-start}
case "$cmd" in
  start)
    ensure_binaries
    if [ "$(id -u)" = 0 ]; then
      id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
      install -d -o postgres "$dir"
    else
      mkdir -p "$dir"
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if is_running; then
      echo "postgres.sh: already running on 127.0.0.1:$port ($dir)"
    else
      # fsync off: this cluster is throwaway; durability is not what it is for.
      as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
        start >/dev/null || { tail -20 "$dir/server.log" >&2; exit 1; }
      echo "postgres.sh: started on 127.0.0.1:$port ($dir)"
    fi
    ;;
  stop)
    if bin=$(find_bin) && is_running; then
      as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
      echo "postgres.sh: stopped ($dir)"
    else
      echo "postgres.sh: not running ($dir)"
    fi
    ;;
  status)
    bin=$(find_bin) || { echo "not installed"; exit 1; }
    if is_running; then echo "running on 127.0.0.1:$port ($dir)"; else echo "stopped ($dir)"; exit 1; fi
    ;;
  url)
    echo "Host=127.0.0.1;Port=$port;Username=postgres;Database=${2:-provisioner}"
    ;;
  *)
    echo "usage: $0 start|stop|status|url [database]" >&2; exit 2 ;;
esac
